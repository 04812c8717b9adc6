package io.mrt.runtime.cli;

import io.mrt.runtime.exec.cvm.CvmConformance;
import io.mrt.runtime.exec.cvm.CvmExecutor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mrt cvm-check DIR}: runs a folder of CVM conformance cases (the layout of
 * ../shared/cvm-conformance) and prints {@code N passed, M failed}, then one line per failing case
 * with what went wrong. Exit code 0 when every case passes, 1 when any fails, 2 when DIR is not a
 * folder of cases.
 */
@Command(name = "cvm-check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Run a folder of CVM conformance cases; print 'N passed, M failed' and "
    + "the failing cases. Exit 0 if all pass, 1 if any fails, 2 for a bad folder.")
final class CvmCheckCommand implements Callable<Integer> {
  /** Exit code when some case failed. */
  static final int SOME_FAILED = 1;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "Folder of case folders (each with case.json).")
  Path dir;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
  Integer threads;

  @Option(names = "--list", description = "Also print every passing case.")
  boolean list;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CvmExecutor.Options opts = threads == null ? CvmExecutor.Options.defaults()
        : CvmExecutor.Options.threads(CvmRunCommand.checkThreads(threads));
    List<CvmConformance.Outcome> failed = new ArrayList<>();
    List<CvmConformance.Outcome> passed = new ArrayList<>();
    for (Path c : CvmConformance.cases(dir)) {
      CvmConformance.Outcome o = CvmConformance.check(c, opts);
      (o.passed() ? passed : failed).add(o);
    }
    out.println(passed.size() + " passed, " + failed.size() + " failed");
    for (CvmConformance.Outcome o : failed) {
      out.println("  FAILED " + o.name() + ": " + o.detail());
    }
    if (list) {
      for (CvmConformance.Outcome o : passed) {
        out.println("  passed " + o.name() + ": " + o.detail());
      }
    }
    out.flush();
    return failed.isEmpty() ? Main.OK : SOME_FAILED;
  }
}
