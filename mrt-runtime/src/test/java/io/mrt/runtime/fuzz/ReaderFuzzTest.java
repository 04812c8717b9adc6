package io.mrt.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.config.ConfigLoader;
import io.mrt.runtime.data.Cifar10Reader;
import io.mrt.runtime.data.IdxReader;
import io.mrt.runtime.data.ImageFolderReader;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import io.mrt.runtime.io.cvm.CvmGraph;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmParams;
import io.mrt.runtime.io.cvm.CvmParamsReader;
import io.mrt.runtime.io.cvm.CvmSymbolReader;
import io.mrt.runtime.io.mxnet.NDArrayListReader;
import io.mrt.runtime.io.mxnet.SymbolReader;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyReader;
import io.mrt.runtime.plugin.LoadedPlugins;
import io.mrt.runtime.plugin.PluginHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for every reader and for the CVM loader with the executor. The property of each:
 * the only outcomes are a result or the project's own {@link MrtException} with a message; any
 * other throwable, a hang or an exhausted heap is a finding.
 *
 * <p>{@code mvn -B verify} runs each target on its seed corpus (real files, under
 * {@code src/test/resources/io/mrt/runtime/fuzz/ReaderFuzzTestInputs/<target>}) and on every
 * earlier finding kept there. {@code -Pfuzz} (which sets {@code JAZZER_FUZZ=1}) fuzzes one target
 * for at most {@value #BUDGET}: see docs/reliability.md.
 */
class ReaderFuzzTest {
  /** The time budget of one fuzzing session per target. */
  static final String BUDGET = "60s";
  /** The most tensor elements a fuzzed CVM graph may declare and still be run (load is always tried). */
  static final long MAX_RUN_ELEMENTS = 1 << 16;

  private static Path work;

  @BeforeAll
  static void createWorkFolder() throws IOException {
    work = Files.createTempDirectory("mrt-fuzz");
  }

  @AfterAll
  static void removeWorkFolder() throws IOException {
    try (var s = Files.walk(work)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Runs {@code body}; only a result or an MrtException with a non-blank message may come out. */
  static void onlyOwnRefusals(Runnable body) {
    try {
      body.run();
    } catch (MrtException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("MrtException without a message", e);
      }
      if (e.getMessage().length() > 64 * 1024) {
        throw new AssertionError("message of " + e.getMessage().length() + " characters: long values must be "
            + "abbreviated", e);
      }
    }
  }

  private static Path file(String name, byte[] data) {
    try {
      Path f = work.resolve(name);
      Files.createDirectories(f.getParent());
      Files.write(f, data);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = BUDGET)
  void npy(byte[] data) {
    onlyOwnRefusals(() -> NpyReader.parse(data, "fuzz.npy"));
  }

  @FuzzTest(maxDuration = BUDGET)
  void mxnetSymbol(byte[] data) {
    onlyOwnRefusals(() -> SymbolReader.parse(InputLimits.parseJson(data, "fuzz-symbol.json"),
        Path.of("fuzz-symbol.json")));
  }

  @FuzzTest(maxDuration = BUDGET)
  void mxnetParams(byte[] data) {
    Path f = file("fuzz.params", data);
    onlyOwnRefusals(() -> NDArrayListReader.read(f));
  }

  @FuzzTest(maxDuration = BUDGET)
  void cvmSymbol(byte[] data) {
    onlyOwnRefusals(() -> CvmSymbolReader.parse(InputLimits.utf8(data, "symbol"), "symbol"));
  }

  @FuzzTest(maxDuration = BUDGET)
  void cvmParams(byte[] data) {
    onlyOwnRefusals(() -> CvmParamsReader.parse(data, "params"));
  }

  /**
   * The CVM loader and executor on one input: {@code u32 n, n bytes of symbol, u32 m, m bytes of
   * params, the input .npy} (little-endian lengths). A graph that loads is run on the given input,
   * or on zeros of its input shape when the input does not fit, if it declares at most
   * {@link #MAX_RUN_ELEMENTS} elements in all.
   */
  @FuzzTest(maxDuration = BUDGET)
  void cvmLoadAndRun(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 4) {
      return;
    }
    int n = b.getInt();
    if (n < 0 || n > b.remaining() - 4) {
      return;
    }
    byte[] sym = new byte[n];
    b.get(sym);
    int m = b.getInt();
    if (m < 0 || m > b.remaining()) {
      return;
    }
    byte[] par = new byte[m];
    b.get(par);
    byte[] in = new byte[b.remaining()];
    b.get(in);
    onlyOwnRefusals(() -> {
      CvmGraph g = CvmSymbolReader.parse(InputLimits.utf8(sym, "symbol"), "symbol");
      CvmParams p = CvmParamsReader.parse(par, "params");
      CvmExecutor exec = CvmExecutor.load(new CvmModel(g, p), "fuzz", CvmExecutor.Options.threads(1));
      long total = 0;
      for (List<Long> shape : g.attrs().shape()) {
        long size = 1;
        for (long d : shape) {
          size = Math.multiplyHigh(size, d) != 0 ? Long.MAX_VALUE : size * d;
        }
        total = size > MAX_RUN_ELEMENTS ? Long.MAX_VALUE : total + size;
      }
      if (total > MAX_RUN_ELEMENTS) {
        return;
      }
      NpyArray x;
      try {
        x = NpyReader.parse(in, "input.npy");
      } catch (MrtException e) {
        x = null;
      }
      long[] shape = exec.inputShape();
      if (x == null || !x.dtype().isInteger() || !Arrays.equals(x.shape(), shape)) {
        long count = Arrays.stream(shape).reduce(1, (a, c) -> a * c);
        x = NpyArray.ofInt32(shape, new int[(int) count]);
      }
      exec.run(x);
    });
  }

  @FuzzTest(maxDuration = BUDGET)
  void config(byte[] data) {
    Path f = file("config.yaml", data);
    onlyOwnRefusals(() -> ConfigLoader.load(f, List.of()));
  }

  @FuzzTest(maxDuration = BUDGET)
  void idx(byte[] data) {
    Path f = file("fuzz-idx", data);
    onlyOwnRefusals(() -> IdxReader.readImageSet(f, f));
  }

  @FuzzTest(maxDuration = BUDGET)
  void cifar10(byte[] data) {
    Path f = file("fuzz-cifar.bin", data);
    onlyOwnRefusals(() -> Cifar10Reader.read(f));
  }

  @FuzzTest(maxDuration = BUDGET)
  void image(byte[] data) {
    file("images/class0/image", data);
    onlyOwnRefusals(() -> ImageFolderReader.read(work.resolve("images"), 3, 8, 8));
  }

  @FuzzTest(maxDuration = BUDGET)
  void pluginJar(byte[] data) {
    file("plugins/fuzz.jar", data);
    onlyOwnRefusals(() -> {
      try (LoadedPlugins l = PluginHost.load(work.resolve("plugins"))) {
        l.plugins().forEach(p -> {
          if (!p.loaded() && (p.failure() == null || p.failure().isBlank())) {
            throw new AssertionError("a failed jar without a reason");
          }
        });
      }
    });
  }
}
