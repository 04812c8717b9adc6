package io.mrt.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The MODEL.md written beside an exported model: architecture, how to remake it, preprocessing, and
 * the float top-1 that real MXNet measured on the exported files. The line
 * {@code Float top-1 ... : <correct>/<total> = <percent>%} is read back by tests.
 */
record ModelCard(Architecture arch, TrainingRecord run, Path dataDir, int testCount, int correct) {

  String markdown() {
    TrainingRun.Options opts = run.opts();
    String title = switch (arch) {
      case DAPP -> "# mnist-dapp: MRT's MNIST tutorial network, trained and exported by this project";
      case FASHION_RESNET -> "# fashion-resnet: a small residual network for Fashion-MNIST, trained and exported by this project";
      case FASHION_MOBILENETV2 -> "# fashion-mobilenetv2: a MobileNetV2-style network (width 0.5) for Fashion-MNIST, "
          + "trained and exported by this project";
    };
    String dataName = arch == Architecture.DAPP ? "MNIST" : "Fashion-MNIST";
    StringBuilder b = new StringBuilder(title).append("\n\n");
    b.append("| field | value |\n|---|---|\n");
    b.append("| files | `").append(arch.id).append("-symbol.json`, `").append(arch.id)
        .append("-0000.params` (NDArray list, float32, `arg:`/`aux:` names) |\n");
    b.append("| written by | the project's own code: `tools/train` builds the `io.mrt.api` graph with MXNet op names "
        + "and attributes, copies the trained DJL parameters into it, and writes it with `io.mrt.runtime.io.mxnet` |\n");
    b.append("| trained with | real MXNet 1.9.1 through DJL 0.36.0 (`mxnet-engine`, `mxnet-native-mkl`), CPU, float32 |\n");
    b.append("| input | `data`, float32 NCHW (N,1,28,28) |\n");
    b.append("| output | (N,10) ").append(arch == Architecture.DAPP ? "logits" : "softmax probabilities")
        .append("; argmax is the class |\n\n");
    b.append("## Architecture\n```\n");
    arch.description().forEach(l -> b.append(l).append('\n'));
    b.append("```\n\n");
    b.append("## Preprocessing\n");
    b.append("`x = pixel / 255` as float32 (scale 1/255, mean 0, std 1), NCHW (1,28,28), from the ")
        .append(dataName).append(" IDX files. Labels are the IDX labels 0-9.\n\n");
    b.append("## Training\n");
    b.append(String.format(Locale.ROOT,
        "- %d training images (%s, `train-*`), %d epochs, batch %d, Adam (base learning rate %s, cosine decay to 1%%), "
            + "softmax cross-entropy on the logits, Xavier-initialised weights; the last partial batch of each epoch is "
            + "dropped (%d steps).%n", run.trainCount(), dataDir.getFileName(), opts.epochs(), opts.batch(), opts.learningRate(),
        run.steps()));
    b.append("- Seed ").append(opts.seed()).append(" for MXNet's generator (initialisation").append(
        arch == Architecture.DAPP ? "" : ", dropout").append(") and for the shuffling (`java.util.Random`). ")
        .append("MXNet's CPU kernels may sum in another order on another CPU or thread count, so a remade model can "
            + "differ in the last bits.\n");
    b.append(String.format(Locale.ROOT, "- Training took %d s on a shared 2-core machine; peak heap %d MiB (sum of the "
        + "heap pools' peaks, run with `-Xmx1g`), peak resident set %d MiB (MXNet's native memory included).%n%n",
        run.trainSeconds(), run.peakHeapMiB(), run.peakRssMiB()));
    b.append("Remake it from the repository root:\n```sh\n");
    b.append("mvn -B -o -q -pl tools/train -am package -DskipTests\n");
    b.append("java -Xmx1g -Dai.djl.offline=true -cp \"tools/train/target/mrt-train-0.1.0-SNAPSHOT.jar:$(cat tools/train/target/classpath.txt)\" \\\n    ")
        .append(run.command()).append('\n');
    b.append("```\n");
    b.append("The tool trains, exports, loads the exported files back into MXNet, checks that their top-1 equals the "
        + "trained model's, and rewrites this file.\n\n");
    b.append("## Float top-1 by MXNet 1.9.1\n");
    b.append(String.format(Locale.ROOT, "- **Float top-1 on the %d %s test images: %d/%d = %.2f%%**%n", testCount,
        dataName, correct, testCount, 100.0 * correct / testCount));
    b.append("- Measured on the exported files: copied as `m-symbol.json` / `m-0000.params`, loaded with DJL's "
        + "`Model.load` (MXNet's symbol executor), batches of 100 through a `NoopTranslator`, argmax against the "
        + "IDX label.\n");
    return b.toString();
  }
}
