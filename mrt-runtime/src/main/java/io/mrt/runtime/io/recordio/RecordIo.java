package io.mrt.runtime.io.recordio;

import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * MXNet's indexed RecordIO as {@code dmlc-core/recordio.h} and {@code tools/im2rec.py} write it.
 * A record is a little-endian u32 magic {@code 0xced7230a}, a u32 {@code lrecord} (upper 3 bits:
 * continuation flag, lower 29 bits: payload length), the payload, and zero padding to 4 bytes. A
 * payload that contains the magic is split into parts (flag 1 = first, 2 = middle, 3 = last) and the
 * reader joins them with the magic between. An image payload is an {@code IRHeader} (u32 flag, f32
 * label, u64 id, u64 id2; 24 bytes), {@code flag} extra float labels, then the encoded image. The
 * {@code .idx} file holds one {@code key<TAB>offset} line per record.
 *
 * <p>Every read is bounded by the bytes of the file: an offset, length or count outside it is an
 * error that names the file, the record and what was expected.
 */
public final class RecordIo {
  /** The record magic. */
  public static final int MAGIC = 0xced7230a;
  /** The largest payload length a record header can state (29 bits). */
  static final int MAX_LENGTH = (1 << 29) - 1;
  private static final int HEADER = 24;
  /** The largest index file read. */
  static final long MAX_INDEX_BYTES = 64L << 20;

  private RecordIo() {}

  /** One {@code .idx} line: the record key and its byte offset in the {@code .rec} file. */
  public record IndexEntry(long key, long offset) {}

  /** Reads an {@code .idx} file, in file order. */
  public static List<IndexEntry> readIndex(Path idx) {
    String text;
    try {
      long size = Files.size(idx);
      if (size > MAX_INDEX_BYTES) {
        throw new MrtException(idx + ": index file is " + size + " bytes, expected at most " + MAX_INDEX_BYTES);
      }
      text = Files.readString(idx, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new MrtException(idx + ": RecordIO index file not found");
    } catch (IOException e) {
      throw new MrtException(idx + ": cannot read: " + e.getMessage(), e);
    }
    List<IndexEntry> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length != 2) {
        throw new MrtException(idx + ": line " + (i + 1) + ": expected 'key<TAB>offset', found '" + line + "'");
      }
      try {
        out.add(new IndexEntry(Long.parseLong(f[0].strip()), Long.parseLong(f[1].strip())));
      } catch (NumberFormatException e) {
        throw new MrtException(idx + ": line " + (i + 1) + ": expected two integers, found '" + line + "'");
      }
    }
    return out;
  }

  /** An open {@code .rec} file that reads records at index offsets. */
  public static final class Reader implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final long size;

    /** Opens {@code rec}. */
    public Reader(Path rec) {
      this.file = rec;
      try {
        this.channel = FileChannel.open(rec, StandardOpenOption.READ);
        this.size = channel.size();
      } catch (NoSuchFileException e) {
        throw new MrtException(rec + ": RecordIO file not found");
      } catch (IOException e) {
        throw new MrtException(rec + ": cannot open: " + e.getMessage(), e);
      }
    }

    private ByteBuffer read(long at, int n, String what) throws IOException {
      if (at < 0 || at + n > size) {
        throw new MrtException(file + ": " + what + ": needs bytes " + at + ".." + (at + n) + ", the file has " + size);
      }
      ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
      while (b.hasRemaining()) {
        if (channel.read(b, at + b.position()) < 0) {
          throw new MrtException(file + ": " + what + ": unexpected end of file");
        }
      }
      return b.flip();
    }

    /** The payload of the record at byte {@code offset} (parts joined). */
    public byte[] payload(long offset) {
      String what = "record at offset " + offset;
      try {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long at = offset;
        for (int part = 0; ; part++) {
          ByteBuffer h = read(at, 8, what);
          int magic = h.getInt();
          if (magic != MAGIC) {
            throw new MrtException(file + ": " + what + ": expected the magic 0xced7230a, found 0x"
                + Integer.toHexString(magic));
          }
          int lrec = h.getInt();
          int cflag = lrec >>> 29;
          int len = lrec & MAX_LENGTH;
          if ((part == 0 && cflag != 0 && cflag != 1) || (part > 0 && cflag != 2 && cflag != 3)) {
            throw new MrtException(file + ": " + what + ": part " + part + " has the continuation flag " + cflag);
          }
          if (part > 0) {
            out.write(new byte[] {0x0a, 0x23, (byte) 0xd7, (byte) 0xce});
          }
          ByteBuffer body = read(at + 8, len, what);
          out.write(body.array(), 0, len);
          if (out.size() > MAX_LENGTH) {
            throw new MrtException(file + ": " + what + ": payload larger than " + MAX_LENGTH + " bytes");
          }
          at += 8 + ((len + 3L) & ~3L);
          if (cflag == 0 || cflag == 3) {
            return out.toByteArray();
          }
        }
      } catch (IOException e) {
        throw new MrtException(file + ": " + what + ": cannot read: " + e.getMessage(), e);
      }
    }

    /** The image record at byte {@code offset}. */
    public ImageRecord image(long offset) {
      byte[] p = payload(offset);
      if (p.length < HEADER) {
        throw new MrtException(file + ": record at offset " + offset + ": payload is " + p.length
            + " bytes, expected at least the 24-byte image header");
      }
      ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
      long flag = Integer.toUnsignedLong(b.getInt());
      float label = b.getFloat();
      long id = b.getLong();
      b.getLong();
      long extra = flag * 4;
      if (HEADER + extra > p.length) {
        throw new MrtException(file + ": record at offset " + offset + ": header flag " + flag + " announces " + flag
            + " float labels, the payload has " + (p.length - HEADER) + " bytes after the header");
      }
      if (flag > 0) {
        label = b.getFloat(HEADER);
      }
      int start = (int) (HEADER + extra);
      return new ImageRecord(id, label, java.util.Arrays.copyOfRange(p, start, p.length));
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        throw new MrtException(file + ": cannot close: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Writes image records as {@code im2rec} does (flag 0, one label, id2 0) and returns the
   * {@code .idx} text (key = id).
   */
  public static String writeImages(OutputStream rec, List<ImageRecord> records) throws IOException {
    StringBuilder idx = new StringBuilder();
    long offset = 0;
    for (ImageRecord r : records) {
      ByteBuffer p = ByteBuffer.allocate(HEADER + r.image().length).order(ByteOrder.LITTLE_ENDIAN);
      p.putInt(0).putFloat(r.label()).putLong(r.id()).putLong(0).put(r.image());
      idx.append(r.id()).append('\t').append(offset).append('\n');
      offset += writeRecord(rec, p.array());
    }
    return idx.toString();
  }

  /** Writes one record (split at every aligned magic, as dmlc's writer does); returns the bytes written. */
  static long writeRecord(OutputStream out, byte[] payload) throws IOException {
    List<int[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 4 <= payload.length; i += 4) {
      if (ByteBuffer.wrap(payload, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() == MAGIC) {
        parts.add(new int[] {start, i});
        start = i + 4;
      }
    }
    parts.add(new int[] {start, payload.length});
    long written = 0;
    for (int k = 0; k < parts.size(); k++) {
      int len = parts.get(k)[1] - parts.get(k)[0];
      int cflag = parts.size() == 1 ? 0 : k == 0 ? 1 : k == parts.size() - 1 ? 3 : 2;
      ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(MAGIC).putInt((cflag << 29) | len);
      out.write(h.array());
      out.write(payload, parts.get(k)[0], len);
      int pad = (4 - (len & 3)) & 3;
      out.write(new byte[pad]);
      written += 8 + len + pad;
    }
    return written;
  }
}
