package io.mrt.runtime.cli;

import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.OutOfResourcesException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code mrt} command line. Exit codes: 0 success, 2 bad input or usage (one message, no stack
 * trace unless {@code --verbose}), 1 internal error or a stage out of memory (one message naming
 * the stage, the batch size and what to change).
 */
@Command(name = "mrt", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Quantize MXNet float models into CVM integer models (MRT V3 on the JVM).",
    subcommands = {
        OpsCommand.class,
        RunCommand.class,
        DemoCommand.class,
        PrepareCommand.class,
        CalibrateCommand.class,
        QuantizeCommand.class,
        EvaluateCommand.class,
        CompileCommand.class,
        PluginsCommand.class,
        InspectCommand.class,
        CvmRunCommand.class,
        CvmCheckCommand.class,
        CvmBenchCommand.class,
        ReportCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of success. */
  public static final int OK = 0;
  /** Exit code of an internal error. */
  public static final int INTERNAL = 1;
  /** Exit code of bad input or usage. */
  public static final int BAD_INPUT = 2;

  @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a subcommand is required (see mrt --help)");
  }

  /** Runs the CLI and returns the exit code (tests call this; {@link #main} exits with it). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    Memory.watch();
    Main main = new Main();
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      boolean verbose = main.verbose || parseResult.hasMatchedOption("--verbose")
          || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
      if (verbose) {
        ex.printStackTrace(commandLine.getErr());
      }
      if (ex instanceof OutOfResourcesException) {
        commandLine.getErr().println("error: " + ex.getMessage());
        return INTERNAL;
      }
      if (ex instanceof MrtException) {
        commandLine.getErr().println("error: " + InputLimits.clip(ex.getMessage()));
        return BAD_INPUT;
      }
      commandLine.getErr().println("internal error: " + InputLimits.clip(String.valueOf(ex))
          + (verbose ? "" : " (run with --verbose for the stack trace)"));
      return INTERNAL;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The JavaCPP property that bounds the process's resident memory ({@link #configureNativeLibraries}). */
  static final String JAVACPP_MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

  /**
   * Turns JavaCPP's resident-memory check off unless the user set it: with a limit (4 GiB by
   * default with a 1 GiB heap), JavaCPP reads the process's resident size from {@code /proc} each
   * time ND4J allocates a native pointer, several per op, about a tenth of a float forward's CPU
   * time (cifar_resnet20_v1, JFR), to force a collection when the limit is passed. The float
   * executor checks the same limit once per op instead ({@code NativeMemory.checkResident}), and
   * JavaCPP's own count of its allocations against {@code maxBytes} stays. Must run before ND4J
   * loads (the property is read once).
   */
  static void configureNativeLibraries() {
    if (System.getProperty(JAVACPP_MAX_PHYSICAL_BYTES) == null) {
      System.setProperty(JAVACPP_MAX_PHYSICAL_BYTES, "0");
    }
  }

  /** Entry point. */
  public static void main(String[] args) {
    configureNativeLibraries();
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
      if (verbose && System.getProperty(io.mrt.runtime.plugin.PluginHost.PF4J_LOG_LEVEL) == null) {
        System.setProperty(io.mrt.runtime.plugin.PluginHost.PF4J_LOG_LEVEL, "debug");
      }
    }
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }
}
