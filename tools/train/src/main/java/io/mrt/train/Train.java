package io.mrt.train;

import io.mrt.api.graph.Model;
import io.mrt.runtime.data.Datasets;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import io.mrt.runtime.data.Split;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The training tool: trains one of the project's own models with real MXNet (DJL), exports it to
 * MXNet symbol JSON + params with the project's writer, loads the exported files back into MXNet,
 * checks that their test top-1 equals the trained model's, and writes MODEL.md with the figures.
 *
 * <pre>
 * mvn -B -o -q -pl tools/train -am package -DskipTests
 * java -Xmx1g -Dai.djl.offline=true -cp "tools/train/target/mrt-train-0.1.0-SNAPSHOT.jar:$(cat tools/train/target/classpath.txt)" \
 *     io.mrt.train.Train dapp
 * </pre>
 */
@Command(name = "mrt-train", mixinStandardHelpOptions = true,
    description = "Train dapp (MNIST), fashion-resnet or fashion-mobilenetv2 (Fashion-MNIST) with MXNet and export it.")
public final class Train implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Train.class);

  @Parameters(index = "0", description = "dapp, fashion-resnet or fashion-mobilenetv2")
  String modelId;

  @Option(names = "--epochs", description = "passes over the training set (default: the model's)")
  Integer epochs;

  @Option(names = "--batch", description = "samples per step (default: the model's)")
  Integer batch;

  @Option(names = "--lr", description = "Adam base learning rate (default: the model's)")
  Float learningRate;

  @Option(names = "--seed", defaultValue = "42", description = "seed of every random generator (default 42)")
  int seed;

  @Option(names = "--data", description = "dataset folder (default ../shared/data/<dataset>)")
  Path data;

  @Option(names = "--out", description = "output folder (default demo/mnist-dapp or examples/<model>)")
  Path out;

  @Option(names = "--train-limit", defaultValue = "0", description = "train on the first N images only (0 = all)")
  int trainLimit;

  @Option(names = "--max-steps", defaultValue = "0", description = "stop after N steps (0 = no limit)")
  int maxSteps;

  @Option(names = "--checkpoint", description = "folder for DJL's copy of the trained parameters "
      + "(default tools/train/target/checkpoints/<model>)")
  Path checkpoint;

  @Option(names = "--from-checkpoint", description = "skip training: load the parameters from --checkpoint and export them")
  boolean fromCheckpoint;

  /** Runs the tool; exit code 0 on success. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Train()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    long t0 = System.nanoTime();
    Architecture arch = Architecture.byId(modelId);
    Path dataDir = data != null ? data
        : Path.of(System.getProperty("mrt.shared.dir", "../shared")).resolve("data").resolve(arch.dataset);
    Path outDir = out != null ? out : Path.of(arch.outDir);
    Path ckpt = checkpoint != null ? checkpoint : Path.of("tools/train/target/checkpoints").resolve(arch.id);
    Preprocessing prep = arch.preprocessing();
    ImageSet train = Datasets.load(arch.dataset, dataDir, Split.TRAIN, prep);
    ImageSet test = Datasets.load(arch.dataset, dataDir, Split.TEST, prep);
    if (trainLimit > 0 && trainLimit < train.count()) {
      train = train.slice(0, trainLimit);
    }
    TrainingRun.Options opts = new TrainingRun.Options(epochs != null ? epochs : arch.epochs,
        batch != null ? batch : arch.batch, learningRate != null ? learningRate : arch.learningRate, seed, maxSteps);
    LOG.info("{}: {} training images, {} test images from {}; {}", arch.id, train.count(), test.count(), dataDir, opts);

    Net net = arch.build();
    TrainingRun.Result result;
    TrainingRecord record;
    if (fromCheckpoint) {
      result = TrainingRun.fromCheckpoint(arch.id, net, test, prep, ckpt);
      record = TrainingRecord.read(ckpt.resolve(arch.id + "-training.properties"));
    } else {
      result = TrainingRun.run(arch.id, net, train, test, prep, opts, ckpt);
      record = new TrainingRecord(opts, train.count(), result.steps(), result.millis() / 1000,
          peakHeapBytes() >> 20, peakRssKiB() >> 10, command(), trainLimit == 0 && maxSteps == 0);
      record.write(ckpt.resolve(arch.id + "-training.properties"));
    }
    int trainedCorrect = result.correct(test);
    LOG.info("trained model (DJL): test top-1 {}/{}", trainedCorrect, test.count());

    Model model = result.model();
    Files.createDirectories(outDir);
    Path symbol = outDir.resolve(arch.id + "-symbol.json");
    Path params = outDir.resolve(arch.id + "-0000.params");
    Export.write(model, net.builder().auxNames(), symbol, params);
    LOG.info("wrote {} and {}", symbol, params);

    int[] mx;
    try (MxnetReference ref = MxnetReference.load(symbol, params)) {
      mx = ref.predict(test, prep, 100);
    }
    int mxCorrect = 0;
    int agree = 0;
    for (int i = 0; i < mx.length; i++) {
      mxCorrect += mx[i] == test.label(i) ? 1 : 0;
      agree += mx[i] == result.predictions()[i] ? 1 : 0;
    }
    LOG.info("exported model (MXNet): test top-1 {}/{}; argmax agrees with the trained model on {}/{}",
        mxCorrect, test.count(), agree, test.count());
    LOG.info("total {} s (training {} s, {} steps); peak heap {} MiB (sum of pool peaks), peak RSS {} MiB",
        (System.nanoTime() - t0) / 1_000_000_000, record.trainSeconds(), record.steps(), peakHeapBytes() >> 20,
        peakRssKiB() >> 10);
    if (mxCorrect != trainedCorrect) {
      LOG.error("the exported model's top-1 ({}) differs from the trained model's ({})", mxCorrect, trainedCorrect);
      return 1;
    }
    if (record.complete()) {
      ModelCard card = new ModelCard(arch, record, dataDir, test.count(), mxCorrect);
      Files.writeString(outDir.resolve("MODEL.md"), card.markdown());
      LOG.info("wrote {}", outDir.resolve("MODEL.md"));
    } else {
      LOG.info("a partial run (--train-limit or --max-steps): MODEL.md not written");
    }
    return 0;
  }

  private String command() {
    StringBuilder b = new StringBuilder("io.mrt.train.Train ").append(modelId);
    if (epochs != null) {
      b.append(" --epochs ").append(epochs);
    }
    if (batch != null) {
      b.append(" --batch ").append(batch);
    }
    if (learningRate != null) {
      b.append(" --lr ").append(learningRate);
    }
    if (seed != 42) {
      b.append(" --seed ").append(seed);
    }
    return b.toString();
  }

  /** The sum of the heap pools' peak usage: an upper bound of the peak heap. */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** The process's peak resident set (VmHWM), in KiB; 0 where /proc is absent. */
  static long peakRssKiB() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
      for (String l : lines) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return 0;
  }
}
