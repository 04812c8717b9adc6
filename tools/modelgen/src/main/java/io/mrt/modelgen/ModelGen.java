package io.mrt.modelgen;

import io.mrt.api.graph.Graph;
import io.mrt.api.graph.Model;
import io.mrt.runtime.io.mxnet.ModelFiles;
import io.mrt.runtime.io.mxnet.MxnetModels;
import io.mrt.runtime.io.mxnet.MxnetSymbol;
import io.mrt.runtime.io.mxnet.ParamPrefixes;
import io.mrt.runtime.registry.OpTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes ImageNet- and CIFAR-shaped MXNet models with seeded random weights: the graphs of MXNet
 * Gluon's model zoo ({@link Zoo}), the weights of {@link GluonGraph}, the BatchNorm statistics of
 * {@link BatchNormStats}, saved as {@code OUT/NAME.json} + {@code OUT/NAME.params} (MRT's file
 * names; parameters stored as {@code arg:NAME} / {@code aux:NAME} as Gluon's export stores them)
 * with the project's MXNet writer.
 *
 * <pre>
 * mvn -B -o -q -pl tools/modelgen -am package -DskipTests
 * java -Xmx1g -cp "tools/modelgen/target/mrt-modelgen-0.1.0-SNAPSHOT.jar:$(cat tools/modelgen/target/classpath.txt)" \
 *     io.mrt.modelgen.ModelGen resnet18_v1 --out ~/mrt_model
 * </pre>
 */
@Command(name = "mrt-modelgen", mixinStandardHelpOptions = true,
    description = "Write Gluon model-zoo shaped MXNet models (resnet18_v1, resnet50_v1, mobilenetv2_1.0, "
        + "cifar_mobilenetv2_0.5) with seeded random weights.")
public final class ModelGen implements Callable<Integer> {
  /** The default seed. */
  public static final long SEED = 17;

  @Parameters(arity = "1..*", description = "model names: resnet18_v1, resnet50_v1, mobilenetv2_1.0, cifar_mobilenetv2_0.5")
  List<String> models;

  @Option(names = "--out", defaultValue = "${sys:user.home}/mrt_model",
      description = "output folder (default ~/mrt_model, MRT's MODEL_DIR)")
  Path out;

  @Option(names = "--seed", defaultValue = "17", description = "seed of the weights and of the statistics images (default 17)")
  long seed;

  /** A generated model: the IR model and which of its parameters are auxiliary states. */
  public record Generated(String name, Model model, Set<String> auxNames, List<Integer> inputShape, int classes) {}

  /** Runs the tool; exit code 0 on success, 2 on a bad argument. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ModelGen()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    for (String m : models) {
      try {
        Zoo.of(m);
      } catch (IllegalArgumentException e) {
        System.err.println("mrt-modelgen: " + e.getMessage());
        return 2;
      }
    }
    Files.createDirectories(out);
    OpTable ops = OpTable.load();
    for (String m : models) {
      long t0 = System.nanoTime();
      Generated g = generate(m, seed, ops);
      ModelFiles files = write(g, out);
      System.out.printf("%s: %d ops, %d parameters (%d values), input %s, %d classes -> %s, %s (%.1f s)%n", m,
          g.model().graph().ops().size(), g.model().params().size(), values(g.model()), g.inputShape(), g.classes(),
          files.symbol(), files.params(), (System.nanoTime() - t0) / 1e9);
    }
    return 0;
  }

  /** Builds model {@code name} with weights from {@code seed} and measured BatchNorm statistics. */
  public static Generated generate(String name, long seed, OpTable ops) {
    Zoo zoo = Zoo.of(name);
    GluonGraph runnable = new GluonGraph(seed, 1);
    Graph runnableGraph = Graph.of(zoo.build(runnable));
    BatchNormStats.measure(runnable, runnableGraph, 2, zoo.calibrationSide(), seed + 1, ops);
    // the same weights (same seed, same order) in the graph as exported, with the measured statistics
    GluonGraph exported = new GluonGraph(seed, 3);
    Graph graph = Graph.of(zoo.build(exported));
    if (!exported.params().keySet().equals(runnable.params().keySet())) {
      throw new IllegalStateException(name + ": the two builds name different parameters");
    }
    return new Generated(zoo.id(), new Model(graph, runnable.params()), Set.copyOf(exported.auxNames()),
        zoo.inputShape(), zoo.classes());
  }

  /** Writes {@code DIR/NAME.json} and {@code DIR/NAME.params}; returns the two paths. */
  public static ModelFiles write(Generated g, Path dir) {
    Map<String, INDArray> named = new LinkedHashMap<>();
    g.model().params().forEach((n, v) ->
        named.put((g.auxNames().contains(n) ? ParamPrefixes.AUX : ParamPrefixes.ARG) + n, v));
    ModelFiles files = new ModelFiles(dir.resolve(g.name() + ".json"), dir.resolve(g.name() + ".params"));
    MxnetModels.save(MxnetSymbol.of(g.model().graph()), named, files);
    return files;
  }

  /** The names of the models the tool writes. */
  public static List<String> names() {
    return java.util.Arrays.stream(Zoo.values()).map(Zoo::id).toList();
  }

  private static long values(Model m) {
    return m.params().values().stream().mapToLong(INDArray::length).sum();
  }
}
