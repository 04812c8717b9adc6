package io.mrt.runtime.cli;

import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.AtomicFiles;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.exec.cvm.CvmResult;
import io.mrt.runtime.io.cvm.CvmModelReader;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyReader;
import io.mrt.runtime.io.npy.NpyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mrt cvm-run}: runs a compiled CVM model on one {@code .npy} input and writes the heads as
 * {@code .npy} files: {@code Y.npy} for one head, {@code Y_0.npy, Y_1.npy, ...} for several, or one
 * flat {@code Y.npy} in the reference C API's interleaved layout with {@code --interleaved}. Outputs
 * are int8 when every head has precision &lt;= 8 (as the C API returns them), else int32. All files
 * are written under temporary names first and renamed at the end.
 */
@Command(name = "cvm-run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Run a compiled CVM model (symbol + params) on an .npy input and write "
    + "the outputs as .npy.")
final class CvmRunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Compiled model folder with "
      + "symbol and params.")
  Path model;

  @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Input for data: an integer "
      + ".npy (int8 or int32) of the exact data shape; values are clipped to the precision of data.")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Output file; with several "
      + "heads Y_0.npy, Y_1.npy, ... unless --interleaved.")
  Path output;

  @Option(names = "--interleaved", description = "Write all heads into one flat file, interleaved row by row "
      + "as the reference C API returns them.")
  boolean interleaved;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
  Integer threads;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CvmExecutor.Options opts = threads == null ? CvmExecutor.Options.defaults()
        : CvmExecutor.Options.threads(checkThreads(threads));
    CvmExecutor exec = CvmExecutor.load(CvmModelReader.read(model), model.toString(), opts);
    NpyArray x = NpyReader.read(input);
    if (!x.dtype().isInteger()) {
      throw new MrtException(input + ": expected an integer .npy (int8 or int32) for input data, found " + x.dtype());
    }
    if (!Arrays.equals(x.shape(), exec.inputShape())) {
      throw new MrtException(input + ": expected the shape of input data " + Arrays.toString(exec.inputShape())
          + ", found " + Arrays.toString(x.shape()));
    }
    CvmResult r = exec.run(x);
    List<Path> targets = new ArrayList<>();
    List<NpyArray> arrays = new ArrayList<>();
    if (interleaved || r.outputs().size() == 1) {
      targets.add(output);
      arrays.add(interleaved ? r.interleaved() : r.toNpy(0));
    } else {
      for (int i = 0; i < r.outputs().size(); i++) {
        targets.add(numbered(output, i));
        arrays.add(r.toNpy(i));
      }
    }
    writeAll(targets, arrays);
    for (int i = 0; i < targets.size(); i++) {
      out.println("wrote " + targets.get(i) + ": " + arrays.get(i).dtype().name().toLowerCase(java.util.Locale.ROOT)
          + " " + Arrays.toString(arrays.get(i).shape()));
    }
    out.flush();
    return Main.OK;
  }

  /**
   * The most worker threads accepted: far above any core count (each thread count keeps its own
   * resident worker threads for the life of the process).
   */
  static final int MAX_THREADS = 1024;

  static int checkThreads(int n) {
    if (n < 1 || n > MAX_THREADS) {
      throw new MrtException("--threads: expected a number from 1 to " + MAX_THREADS + ", found " + n);
    }
    return n;
  }

  /** Y.npy -> Y_i.npy (the suffix goes before the extension). */
  static Path numbered(Path p, int i) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot > 0 ? name.substring(0, dot) + "_" + i + name.substring(dot) : name + "_" + i;
    return p.resolveSibling(numbered);
  }

  /** Writes every array under a temporary name, then renames them all; on failure nothing is left. */
  private static void writeAll(List<Path> targets, List<NpyArray> arrays) {
    List<Path> temps = new ArrayList<>();
    Path current = targets.get(0);
    try {
      for (int i = 0; i < targets.size(); i++) {
        current = targets.get(i);
        Path t = targets.get(i).toAbsolutePath();
        if (t.getParent() != null) {
          Files.createDirectories(t.getParent());
        }
        AtomicFiles.removeStale(t);
        Path tmp = AtomicFiles.createTemp(t);
        temps.add(tmp);
        try (OutputStream os = Files.newOutputStream(tmp)) {
          NpyWriter.write(os, arrays.get(i));
        }
      }
      for (int i = 0; i < targets.size(); i++) {
        current = targets.get(i);
        Files.move(temps.get(i), targets.get(i).toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      temps.clear();
    } catch (IOException e) {
      throw new MrtException(current + ": cannot write output: " + e.getMessage(), e);
    } finally {
      for (Path t : temps) {
        try {
          Files.deleteIfExists(t);
        } catch (IOException ignored) {
          // best effort clean-up of temporary files
        }
      }
    }
  }
}
