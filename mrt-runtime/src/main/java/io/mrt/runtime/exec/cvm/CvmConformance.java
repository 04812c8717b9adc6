package io.mrt.runtime.exec.cvm;

import com.fasterxml.jackson.databind.JsonNode;
import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.io.cvm.CvmModel;
import io.mrt.runtime.io.cvm.CvmModelReader;
import io.mrt.runtime.io.npy.NpyArray;
import io.mrt.runtime.io.npy.NpyReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs conformance cases in the layout of {@code ../shared/cvm-conformance}: one folder per case
 * with {@code symbol}, {@code params}, {@code input.npy}, {@code output_K.npy} and {@code case.json}
 * ({@code valid}, and {@code fails_at} = {@code load} or {@code inference} for invalid cases). A
 * valid case passes when every head matches bit for bit (including the int8 narrowing); a load
 * failure case passes when reading or loading refuses the model; an inference failure case passes
 * when the model loads and the run fails.
 */
public final class CvmConformance {
  /** The largest case.json read. */
  static final long MAX_CASE_JSON = 1L << 20;

  /**
   * The outcome of one case.
   *
   * @param name the case folder name
   * @param passed whether the case passed
   * @param detail what happened (the mismatch or the refusal message)
   */
  public record Outcome(String name, boolean passed, String detail) {
  }

  private CvmConformance() {
  }

  /** The case folders under {@code dir} (those holding a case.json), sorted by name. */
  public static List<Path> cases(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new MrtException(dir + ": expected a folder of conformance cases, found "
          + (Files.exists(dir) ? "a file" : "nothing"));
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> l = new ArrayList<>(s.filter(p -> Files.isRegularFile(p.resolve("case.json"))).sorted().toList());
      if (l.isEmpty()) {
        throw new MrtException(dir + ": expected case folders (each with case.json), found none");
      }
      return l;
    } catch (IOException e) {
      throw new MrtException(dir + ": cannot list conformance cases: " + e.getMessage(), e);
    }
  }

  /** Runs one case with the given executor options. */
  public static Outcome check(Path caseDir, CvmExecutor.Options options) {
    String name = caseDir.getFileName().toString();
    Path caseJson = caseDir.resolve("case.json");
    boolean valid;
    String failsAt;
    try {
      JsonNode meta = InputLimits.parseJson(InputLimits.readAll(caseJson, MAX_CASE_JSON, "case file"),
          caseJson.toString());
      if (!meta.isObject()) {
        throw new MrtException(caseJson + ": expected a JSON object with \"valid\", found "
            + InputLimits.abbreviate(meta));
      }
      JsonNode v = meta.get("valid");
      if (v == null || !v.isBoolean()) {
        throw new MrtException(caseJson + ": expected \"valid\": true or false, found "
            + (v == null ? "no \"valid\"" : InputLimits.abbreviate(v)));
      }
      valid = v.booleanValue();
      JsonNode f = meta.get("fails_at");
      failsAt = f == null || f.isNull() ? "" : f.isTextual() ? f.textValue() : null;
      if (failsAt == null || (!valid && !failsAt.equals("load") && !failsAt.equals("inference"))) {
        throw new MrtException(caseJson + ": expected \"fails_at\": \"load\" or \"inference\" for an invalid "
            + "case, found " + (f == null ? "no \"fails_at\"" : InputLimits.abbreviate(f)));
      }
    } catch (MrtException e) {
      return new Outcome(name, false, "bad case description: " + e.getMessage());
    }
    CvmExecutor exec;
    try {
      CvmModel model = CvmModelReader.read(caseDir);
      exec = CvmExecutor.load(model, caseDir.toString(), options);
    } catch (MrtException e) {
      if (!valid && "load".equals(failsAt)) {
        return new Outcome(name, true, "refused at load: " + e.getMessage());
      }
      return new Outcome(name, false, "unexpected load failure: " + e.getMessage());
    }
    if (!valid && "load".equals(failsAt)) {
      return new Outcome(name, false, "loaded, but the reference runtime refuses this model at load");
    }
    CvmResult result;
    try {
      NpyArray input = NpyReader.read(caseDir.resolve("input.npy"));
      result = exec.run(input);
    } catch (CvmInferenceException e) {
      if (!valid && "inference".equals(failsAt)) {
        return new Outcome(name, true, "failed at inference: " + e.getMessage());
      }
      return new Outcome(name, false, "unexpected inference failure: " + e.getMessage());
    } catch (MrtException e) {
      return new Outcome(name, false, "bad case input: " + e.getMessage());
    }
    if (!valid) {
      return new Outcome(name, false, "ran, but the reference runtime fails this model at " + failsAt);
    }
    for (int k = 0; ; k++) {
      Path f = caseDir.resolve("output_" + k + ".npy");
      if (!Files.exists(f)) {
        if (k != result.outputs().size()) {
          return new Outcome(name, false, "the model has " + result.outputs().size() + " heads, the case "
              + k + " outputs");
        }
        break;
      }
      if (k >= result.outputs().size()) {
        return new Outcome(name, false, "the case has more outputs than the model's " + result.outputs().size()
            + " heads");
      }
      NpyArray want;
      try {
        want = NpyReader.read(f);
      } catch (MrtException e) {
        return new Outcome(name, false, "bad expected output: " + e.getMessage());
      }
      CvmResult.Output got = result.outputs().get(k);
      if (!Arrays.equals(want.shape(), got.shape())) {
        return new Outcome(name, false, "head " + k + ": shape " + Arrays.toString(got.shape()) + ", expected "
            + Arrays.toString(want.shape()));
      }
      int[] w = want.toIntArray();
      for (int i = 0; i < w.length; i++) {
        if (w[i] != got.values()[i]) {
          return new Outcome(name, false, "head " + k + ": value at flat index " + i + " is " + got.values()[i]
              + ", expected " + w[i]);
        }
      }
    }
    return new Outcome(name, true, "all " + result.outputs().size() + " heads match");
  }
}
