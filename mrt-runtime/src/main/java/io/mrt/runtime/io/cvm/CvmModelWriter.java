package io.mrt.runtime.io.cvm;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.AtomicFiles;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a compiled CVM model directory ({@code symbol}, {@code params}, and optionally
 * {@code data.npy} and {@code ext}) atomically: everything is written into a temporary directory
 * next to the target, which is then renamed to the target name. An existing target is replaced
 * only after the new directory is complete; a failure leaves the target as it was and removes the
 * temporary directory.
 */
public final class CvmModelWriter {
  private CvmModelWriter() {
  }

  /**
   * Writes {@code model} (and {@code data} and {@code ext} when not null) to {@code dir}.
   *
   * @param dir the target directory, e.g. {@code <dump_dir>/<model_name>_cvm}
   * @param model graph and params
   * @param data one input batch as int8 (or int32), or null
   * @param ext the side file, or null
   */
  public static void write(Path dir, CvmModel model, NpyArray data, CvmExt ext) {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    String base = target.getFileName().toString();
    AtomicFiles.removeStale(target);
    Path tmp = AtomicFiles.tempDirName(target, "new");
    Path old = null;
    try {
      Files.createDirectories(parent);
      Files.createDirectory(tmp);
      Files.writeString(tmp.resolve(CvmModelReader.SYMBOL), CvmSymbolWriter.toJson(model.graph()),
          StandardCharsets.UTF_8);
      try (OutputStream out = Files.newOutputStream(tmp.resolve(CvmModelReader.PARAMS))) {
        CvmParamsWriter.write(out, model.params());
      }
      if (data != null) {
        try (OutputStream out = Files.newOutputStream(tmp.resolve(CvmModelReader.DATA))) {
          NpyWriter.write(out, data);
        }
      }
      if (ext != null) {
        Files.writeString(tmp.resolve(CvmModelReader.EXT), ext.toText(), StandardCharsets.UTF_8);
      }
      if (Files.exists(target)) {
        if (!Files.isDirectory(target)) {
          throw new FileAlreadyExistsException(target + " exists and is not a directory");
        }
        old = AtomicFiles.tempDirName(target, "old");
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (old != null) {
          Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
          old = null;
        }
        throw e;
      }
      tmp = null;
    } catch (IOException | RuntimeException e) {
      if (e instanceof MrtException) {
        throw (MrtException) e;
      }
      throw new MrtException(dir + ": cannot write the compiled model: " + e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
      deleteQuietly(old);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p == null || !Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException ignored) {
          // best effort clean-up of a temporary directory
        }
      });
    } catch (IOException ignored) {
      // best effort clean-up of a temporary directory
    }
  }
}
