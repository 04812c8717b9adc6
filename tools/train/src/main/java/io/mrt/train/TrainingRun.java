package io.mrt.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.mrt.api.graph.Model;
import io.mrt.runtime.data.ImageSet;
import io.mrt.runtime.data.Preprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Net} with real MXNet through DJL: Xavier-initialised weights, Adam with a cosine
 * learning-rate decay to 1% of the base rate, softmax cross-entropy on the logits, shuffled full
 * batches (the last partial batch of an epoch is dropped). Every random choice is seeded: MXNet's
 * generator (initialisation, dropout) with {@code seed}, the shuffling with {@code new Random(seed)}.
 */
final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

  /**
   * Training settings.
   *
   * @param epochs passes over the training set
   * @param batch samples per step
   * @param learningRate Adam's base learning rate
   * @param seed the seed of every random generator
   * @param maxSteps stop after this many steps in all (0 = no limit; for smoke tests)
   */
  record Options(int epochs, int batch, float learningRate, int seed, int maxSteps) {}

  /**
   * What a run produced.
   *
   * @param model the trained network in the project's IR, with the trained parameters
   * @param predictions the trained DJL model's argmax for every test image
   * @param firstBatchLogits the DJL model's outputs for the first test batch (row per image)
   * @param steps optimizer steps taken
   * @param millis training time in milliseconds (without the final evaluation)
   */
  record Result(Model model, int[] predictions, float[][] firstBatchLogits, int steps, long millis) {
    /** Correct test predictions. */
    int correct(ImageSet test) {
      int c = 0;
      for (int i = 0; i < predictions.length; i++) {
        if (predictions[i] == test.label(i)) {
          c++;
        }
      }
      return c;
    }
  }

  private TrainingRun() {}

  /**
   * Trains {@code net} on {@code train}, evaluates it on {@code test}, and returns the exported IR
   * model. When {@code checkpoint} is not null the DJL parameters are saved there too, as
   * {@code <name>-0000.params} in DJL's format.
   */
  static Result run(String name, Net net, ImageSet train, ImageSet test, Preprocessing prep, Options o,
      Path checkpoint) {
    Engine engine = Engine.getEngine("MXNet");
    engine.setRandomSeed(o.seed());
    LOG.info("engine {} {}; seed {}", engine.getEngineName(), engine.getVersion(), o.seed());
    prep.check(train);
    prep.check(test);
    try (ai.djl.Model model = ai.djl.Model.newInstance(name, Device.cpu(), "MXNet")) {
      model.setBlock(net.block());
      int stepsPerEpoch = train.count() / o.batch();
      if (stepsPerEpoch == 0) {
        throw new IllegalArgumentException("batch " + o.batch() + " is larger than the " + train.count() + " training images");
      }
      int total = o.epochs() * stepsPerEpoch;
      if (o.maxSteps() > 0) {
        total = Math.min(total, o.maxSteps());
      }
      Tracker lr = total > 1
          ? Tracker.cosine().setBaseValue(o.learningRate()).optFinalValue(o.learningRate() / 100).setMaxUpdates(total).build()
          : Tracker.fixed(o.learningRate());
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
          .optDevices(new Device[] {Device.cpu()})
          .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
      long start = System.nanoTime();
      int step = 0;
      long[] shape = prep.batchShape(o.batch());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(shape));
        Random shuffle = new Random(o.seed());
        int[] order = new int[train.count()];
        Arrays.setAll(order, i -> i);
        float[] x = new float[o.batch() * train.sampleSize()];
        float[] y = new float[o.batch()];
        for (int epoch = 1; epoch <= o.epochs() && step < total; epoch++) {
          long epochStart = System.nanoTime();
          shuffle(order, shuffle);
          double lossSum = 0;
          int lossCount = 0;
          for (int s = 0; s < stepsPerEpoch && step < total; s++, step++) {
            int[] idx = Arrays.copyOfRange(order, s * o.batch(), (s + 1) * o.batch());
            prep.fill(train, idx, x);
            for (int i = 0; i < idx.length; i++) {
              y[i] = train.label(idx[i]);
            }
            try (NDManager m = trainer.getManager().newSubManager()) {
              NDList data = new NDList(m.create(x, new Shape(shape)));
              NDList labels = new NDList(m.create(y, new Shape(o.batch())));
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(data, labels);
                NDArray loss = trainer.getLoss().evaluate(labels, pred);
                gc.backward(loss);
                lossSum += loss.getFloat();
                lossCount++;
              }
              trainer.step();
            }
            if ((step + 1) % 200 == 0) {
              LOG.info("epoch {} step {}/{}: mean loss {}", epoch, step + 1, total, String.format("%.4f", lossSum / lossCount));
            }
          }
          int[] pred = predict(trainer, test, prep, 500, null);
          int correct = 0;
          for (int i = 0; i < pred.length; i++) {
            correct += pred[i] == test.label(i) ? 1 : 0;
          }
          LOG.info("epoch {} done in {} s: train loss {}, test top-1 {}/{}", epoch,
              (System.nanoTime() - epochStart) / 1_000_000_000, String.format("%.4f", lossSum / Math.max(1, lossCount)),
              correct, test.count());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        float[][] firstLogits = new float[Math.min(500, test.count())][];
        int[] predictions = predict(trainer, test, prep, 500, firstLogits);
        if (checkpoint != null) {
          Files.createDirectories(checkpoint);
          try (var old = Files.newDirectoryStream(checkpoint, name + "-*.params")) {
            for (Path f : old) {
              Files.delete(f); // DJL would otherwise number the new file after the old ones
            }
          }
          model.setProperty("Epoch", "0");
          model.save(checkpoint, name);
        }
        return new Result(net.export(), predictions, firstLogits, step, millis);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Loads DJL parameters saved by {@link #run} into a fresh {@code net} and evaluates them; for
   * exporting again without training.
   */
  static Result fromCheckpoint(String name, Net net, ImageSet test, Preprocessing prep, Path checkpoint) {
    try (ai.djl.Model model = ai.djl.Model.newInstance(name, Device.cpu(), "MXNet")) {
      model.setBlock(net.block());
      model.load(checkpoint, name);
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss());
      try (Trainer trainer = model.newTrainer(config)) {
        float[][] firstLogits = new float[Math.min(500, test.count())][];
        int[] predictions = predict(trainer, test, prep, 500, firstLogits);
        return new Result(net.export(), predictions, firstLogits, 0, 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MalformedModelException e) {
      throw new IllegalStateException(checkpoint + ": " + e.getMessage(), e);
    }
  }

  /** The argmax of the network's inference-mode outputs for every image, in batches. */
  static int[] predict(Trainer trainer, ImageSet set, Preprocessing prep, int batch, float[][] firstOutputs) {
    int[] out = new int[set.count()];
    for (int from = 0; from < set.count(); from += batch) {
      int n = Math.min(batch, set.count() - from);
      float[] x = new float[n * set.sampleSize()];
      prep.fill(set, from, n, x);
      try (NDManager m = trainer.getManager().newSubManager()) {
        NDArray logits = trainer.evaluate(new NDList(m.create(x, new Shape(prep.batchShape(n))))).singletonOrThrow();
        long[] arg = logits.argMax(1).toLongArray();
        for (int i = 0; i < n; i++) {
          out[from + i] = (int) arg[i];
        }
        if (from == 0 && firstOutputs != null) {
          float[] flat = logits.toFloatArray();
          int classes = (int) logits.getShape().get(1);
          for (int i = 0; i < Math.min(n, firstOutputs.length); i++) {
            firstOutputs[i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
          }
        }
      }
    }
    return out;
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
