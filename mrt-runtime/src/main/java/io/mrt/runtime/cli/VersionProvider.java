package io.mrt.runtime.cli;

import io.mrt.api.MrtApi;
import picocli.CommandLine.IVersionProvider;

/** {@code mrt --version}: the product and operator API versions. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String impl = Main.class.getPackage().getImplementationVersion();
    return new String[] {
        "mrt " + (impl == null ? "0.1.0-SNAPSHOT" : impl),
        "mrt-api " + MrtApi.VERSION,
        "Java " + System.getProperty("java.version")
    };
  }
}
