package io.mrt.plugins.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped plugin jars (not only their sources) never reach into the runtime. */
class PluginJarsArchitectureIT {
  @ParameterizedTest
  @ValueSource(strings = {PluginJars.TANH, PluginJars.HARD_SIGMOID, PluginJars.TEMPLATE})
  void pluginJarClassesNeverDependOnTheRuntime(String artifactId) {
    Path jar = PluginJars.built(artifactId);
    JavaClasses classes;
    try (JarFile file = new JarFile(jar.toFile())) {
      classes = new ClassFileImporter().importJar(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(classes.size() >= 2, "op class and generated registry in " + jar);
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.mrt.runtime..", "org.pf4j..", "picocli..")
        .check(classes);
  }

  @org.junit.jupiter.api.Test
  void theDatasetPluginJarHoldsItsProviderAndNeverDependsOnTheRuntime() {
    Path jar = PluginJars.built(PluginJars.MNIST_CSV);
    JavaClasses classes;
    try (JarFile file = new JarFile(jar.toFile())) {
      classes = new ClassFileImporter().importJar(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(classes.contain("io.mrt.plugins.mnistcsv.MnistCsv"), "the provider class in " + jar);
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.mrt.runtime..", "org.pf4j..", "picocli..",
        "org.nd4j..").check(classes);
  }
}
