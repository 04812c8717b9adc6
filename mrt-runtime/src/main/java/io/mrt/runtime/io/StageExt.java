package io.mrt.runtime.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * MRT's {@code .ext} side files: JSON, one value per line ({@code sim_quant_helper.save_ext}).
 * Written to a temporary name and renamed, so a reader never sees half a file. Reading bounds the
 * file size and the number of lines before parsing.
 */
public final class StageExt {
  /** The largest side file read (thresholds of every node of a large model fit easily). */
  public static final long MAX_BYTES = 256L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private StageExt() {}

  /** Writes one JSON value per line to {@code file}, atomically. */
  public static void write(Path file, List<?> lines) {
    StringBuilder b = new StringBuilder();
    try {
      for (Object line : lines) {
        b.append(JSON.writeValueAsString(line)).append('\n');
      }
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot serialize " + file.getFileName() + ": " + e.getMessage(), e);
    }
    AtomicFiles.write(file, out -> out.write(b.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** Reads the JSON values of {@code file}, one per non-empty line; at least {@code minLines}. */
  public static List<JsonNode> read(Path file, int minLines) {
    if (!Files.exists(file)) {
      throw new MrtException(file + ": no such file (run the previous stage first)");
    }
    String text = InputLimits.readUtf8(file, MAX_BYTES, "side file");
    List<JsonNode> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(InputLimits.json().readTree(line));
      } catch (JacksonException e) {
        throw new MrtException(file + " line " + lineNo + ": not JSON: " + InputLimits.abbreviate(e.getOriginalMessage()),
            e);
      }
    }
    if (out.size() < minLines) {
      throw new MrtException(file + ": expected at least " + minLines + " JSON lines, found " + out.size());
    }
    return out;
  }

  /** The Jackson mapper used for side files (to convert lines to Java values). */
  public static ObjectMapper mapper() {
    return JSON;
  }
}
