package io.mrt.train;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a training run did, saved beside its checkpoint ({@code <model>-training.properties}) so
 * that a later {@code --from-checkpoint} export writes the same MODEL.md.
 *
 * @param opts the training settings
 * @param trainCount training images used
 * @param steps optimizer steps taken
 * @param trainSeconds training time
 * @param peakHeapMiB the JVM heap pools' summed peak during training
 * @param peakRssMiB the process's peak resident set during training
 * @param command the command line that ran it
 * @param complete whether it was a full run (no --train-limit or --max-steps)
 */
record TrainingRecord(TrainingRun.Options opts, int trainCount, int steps, long trainSeconds, long peakHeapMiB,
    long peakRssMiB, String command, boolean complete) {

  void write(Path file) {
    Properties p = new Properties();
    p.setProperty("epochs", Integer.toString(opts.epochs()));
    p.setProperty("batch", Integer.toString(opts.batch()));
    p.setProperty("learningRate", Float.toString(opts.learningRate()));
    p.setProperty("seed", Integer.toString(opts.seed()));
    p.setProperty("maxSteps", Integer.toString(opts.maxSteps()));
    p.setProperty("trainCount", Integer.toString(trainCount));
    p.setProperty("steps", Integer.toString(steps));
    p.setProperty("trainSeconds", Long.toString(trainSeconds));
    p.setProperty("peakHeapMiB", Long.toString(peakHeapMiB));
    p.setProperty("peakRssMiB", Long.toString(peakRssMiB));
    p.setProperty("command", command);
    p.setProperty("complete", Boolean.toString(complete));
    try {
      Files.createDirectories(file.getParent());
      try (Writer w = Files.newBufferedWriter(file)) {
        p.store(w, "mrt-train run");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TrainingRecord read(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the training record " + file, e);
    }
    TrainingRun.Options o = new TrainingRun.Options(Integer.parseInt(p.getProperty("epochs")),
        Integer.parseInt(p.getProperty("batch")), Float.parseFloat(p.getProperty("learningRate")),
        Integer.parseInt(p.getProperty("seed")), Integer.parseInt(p.getProperty("maxSteps")));
    return new TrainingRecord(o, Integer.parseInt(p.getProperty("trainCount")), Integer.parseInt(p.getProperty("steps")),
        Long.parseLong(p.getProperty("trainSeconds")), Long.parseLong(p.getProperty("peakHeapMiB")),
        Long.parseLong(p.getProperty("peakRssMiB")), p.getProperty("command"),
        Boolean.parseBoolean(p.getProperty("complete")));
  }
}
