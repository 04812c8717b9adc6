package io.mrt.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * The one place where every reader of the project bounds what it reads.
 *
 * <ul>
 *   <li>Whole-file reads ({@link #readAll}, {@link #readUtf8}) accept regular files only (a device,
 *       a pipe or a folder is refused before it is opened, so {@code /dev/zero} or a link to it
 *       never reads endlessly) and count the bytes actually read against the limit: the size the
 *       file system reports is never trusted.
 *   <li>Text is strict UTF-8: an invalid byte is refused with its offset.
 *   <li>JSON is parsed by {@link #json()}, whose nesting depth, string, number and name lengths are
 *       bounded, and whose objects may not repeat a key.
 *   <li>Values quoted in messages go through {@link #abbreviate}, so an error never echoes a
 *       megabyte of attribute text.
 *   <li>Integers read from a file go through {@link #checkRange}, which names the value and the
 *       range it had to be in.
 * </ul>
 */
public final class InputLimits {
  /** The deepest nesting of lists or objects accepted in any text format (JSON, YAML, .npy headers). */
  public static final int MAX_DEPTH = 64;
  /** The longest JSON string or attribute value accepted (a 64 MiB embedded constant is already absurd). */
  public static final int MAX_STRING = 64 << 20;
  /** The longest value quoted in a message before it is abbreviated. */
  public static final int MAX_QUOTE = 120;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_STRING)
          .maxNumberLength(64)
          .maxNameLength(1 << 16)
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build());

  private InputLimits() {}

  /**
   * Reads the whole of {@code file}, refusing it when it is not a regular file or when more than
   * {@code max} bytes can be read from it. {@code what} names the file's role in messages ("symbol
   * file", "config", ...).
   */
  public static byte[] readAll(Path file, long max, String what) {
    requireRegularFile(file, what);
    long hint;
    try {
      hint = Files.size(file);
    } catch (IOException e) {
      hint = 0;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return readAll(in, max, hint, file + ": " + what);
    } catch (NoSuchFileException e) {
      throw new MrtException(file + ": no such " + what);
    } catch (AccessDeniedException e) {
      throw new MrtException(file + ": cannot read " + what + ": permission denied");
    } catch (IOException e) {
      throw new MrtException(file + ": cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a stream to its end, refusing it once more than {@code max} bytes were read; {@code what}
   * names the stream in messages. The stream is not closed.
   */
  public static byte[] readAll(InputStream in, long max, String what) throws IOException {
    return readAll(in, max, 0, what);
  }

  /**
   * Reads a stream to its end (at most {@code max} bytes). {@code sizeHint} (the size the file
   * system reports) only sizes the first buffer, so that a file read whole is not copied; it never
   * limits or ends the read.
   */
  private static byte[] readAll(InputStream in, long max, long sizeHint, String what) throws IOException {
    if (max < 0 || max > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("limit " + max);
    }
    byte[] buf = new byte[(int) Math.min(max, Math.max(sizeHint, 1 << 13))];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        int b = in.read();
        if (b < 0) {
          return buf;
        }
        if (n >= max) {
          throw new MrtException(what + ": more than the limit of " + max + " bytes");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max(1L << 13, 2L * buf.length)));
        buf[n++] = (byte) b;
        continue;
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
      }
      n += r;
    }
  }

  /** Reads {@code file} as strict UTF-8 text of at most {@code max} bytes (see {@link #readAll}). */
  public static String readUtf8(Path file, long max, String what) {
    return utf8(readAll(file, max, what), file + ": " + what);
  }

  /** Decodes strict UTF-8; an invalid byte is refused with its offset, {@code source} names the text. */
  public static String utf8(byte[] bytes, String source) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      StringBuilder found = new StringBuilder();
      for (int i = at; i < Math.min(bytes.length, at + r.length()); i++) {
        found.append(found.length() == 0 ? "" : " ").append(String.format("0x%02x", bytes[i] & 0xff));
      }
      throw new MrtException(source + ": byte " + at + ": expected UTF-8 text, found the byte"
          + (r.length() > 1 ? "s " : " ") + found + " (save the file as UTF-8)");
    }
    d.flush(out);
    return out.flip().toString();
  }

  /** Refuses anything but a regular file (following links): devices, pipes, sockets and folders. */
  public static void requireRegularFile(Path file, String what) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new MrtException(file + ": no such " + what);
    } catch (IOException e) {
      throw new MrtException(file + ": cannot read " + what + ": " + e.getMessage(), e);
    }
    if (!a.isRegularFile()) {
      String kind = a.isDirectory() ? "a folder" : "a special file (device, pipe or socket)";
      throw new MrtException(file + ": expected a regular " + what + ", found " + kind
          + (Files.isSymbolicLink(file) ? " behind a link" : ""));
    }
  }

  /** The shared JSON reader: depth, string, number and name lengths bounded; duplicate keys refused. */
  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * Parses JSON bytes with {@link #json()}; a syntax error, a limit or a duplicate key is refused
   * with {@code source}, the line and column.
   */
  public static JsonNode parseJson(byte[] bytes, String source) {
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || n.isMissingNode()) {
        throw new MrtException(source + ": expected JSON, found an empty file");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new MrtException(source + ": " + where(e.getLocation()) + "not valid JSON: "
          + abbreviate(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new MrtException(source + ": cannot read JSON: " + e.getMessage(), e);
    }
  }

  /** "line L, column C: " for a known location, "" otherwise. */
  public static String where(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) {
      return "";
    }
    return "line " + loc.getLineNr() + (loc.getColumnNr() > 0 ? ", column " + loc.getColumnNr() : "") + ": ";
  }

  /**
   * The text of {@code value}, abbreviated to its first {@value #MAX_QUOTE} characters and its
   * total length when longer; control characters are shown as escapes.
   */
  public static String abbreviate(Object value) {
    String s = String.valueOf(value);
    boolean cut = s.length() > MAX_QUOTE;
    String head = cut ? s.substring(0, MAX_QUOTE) : s;
    StringBuilder b = new StringBuilder(head.length() + 32);
    for (int i = 0; i < head.length(); i++) {
      char c = head.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(switch (c) {
          case '\n' -> "\\n";
          case '\t' -> "\\t";
          case '\r' -> "\\r";
          default -> String.format("\\u%04x", (int) c);
        });
      } else {
        b.append(c);
      }
    }
    if (cut) {
      b.append("... (").append(s.length()).append(" characters)");
    }
    return b.toString();
  }

  /** The longest message printed whole; a longer one keeps its start and end. */
  public static final int MAX_MESSAGE = 2000;

  /**
   * A message as printed to the user: one clipped to its first 1400 and last 400 characters when
   * longer than {@value #MAX_MESSAGE}, so that no value echoed by any layer floods the terminal.
   */
  public static String clip(String message) {
    if (message == null || message.length() <= MAX_MESSAGE) {
      return message;
    }
    return message.substring(0, 1400) + " ... (" + (message.length() - 1800) + " characters omitted) ... "
        + message.substring(message.length() - 400);
  }

  /** Refuses a nesting depth beyond {@link #MAX_DEPTH}; {@code where} names the file and position. */
  public static void checkDepth(int depth, String where) {
    if (depth > MAX_DEPTH) {
      throw new MrtException(where + ": nesting deeper than the limit of " + MAX_DEPTH + " levels");
    }
  }

  /**
   * Returns {@code value} when it lies in {@code [min, max]}, and refuses it otherwise naming
   * {@code what} (the file and key or position) and the range.
   */
  public static long checkRange(long value, long min, long max, String what) {
    if (value < min || value > max) {
      throw new MrtException(what + ": expected an integer in [" + min + ", " + max + "], found " + value);
    }
    return value;
  }

  /** {@link #checkRange} for a value that becomes an {@code int}. */
  public static int checkInt(long value, long min, long max, String what) {
    return (int) checkRange(value, Math.max(min, Integer.MIN_VALUE), Math.min(max, Integer.MAX_VALUE), what);
  }

}
