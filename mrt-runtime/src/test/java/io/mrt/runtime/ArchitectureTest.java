package io.mrt.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.mrt.runtime.stage.Stage;
import io.mrt.annotations.cvm.CvmRules;

/**
 * The module and package rules of DESIGN.md section 2, checked on the compiled classes of
 * mrt-annotations, mrt-api, ops-builtin and mrt-runtime (everything under {@code io.mrt} on this
 * module's test class path, tests excluded).
 *
 * <p>The runtime's package layers are declared for every room DESIGN.md names, whether or not it
 * exists yet ({@code withOptionalLayers(true)}), so a package that lands later is covered by the
 * direction rule as soon as it has classes. A new top-level runtime package outside these rooms is
 * still covered by the cycle rule; add it to {@link #runtimeLayersPointOneWay} to give it a direction.
 *
 * <p>Plugins are separate Maven modules that do not depend on mrt-runtime; each plugin module
 * carries its own copy of the rule {@code noClasses().should().dependOnClassesThat()
 * .resideInAPackage("io.mrt.runtime..")} (see docs/processor.md).
 */
@AnalyzeClasses(packages = "io.mrt", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule runtimeNeverNamesABuiltInOpClass = noClasses()
      .that().resideInAPackage("io.mrt.runtime..")
      .should().dependOnClassesThat().resideInAPackage("io.mrt.ops..")
      .because("the runtime reaches ops only through the merged registries (OpTable)");

  @ArchTest
  static final ArchRule onlyTheRegistryAndPluginPackagesUseOpRegistriesDirectly = noClasses()
      .that().resideInAPackage("io.mrt.runtime..")
      .and().resideOutsideOfPackages("io.mrt.runtime.registry..", "io.mrt.runtime.plugin..")
      .should().dependOnClassesThat().haveFullyQualifiedName("io.mrt.api.registry.OpRegistry")
      .because("every other package looks ops up through io.mrt.runtime.registry.OpTable");

  @ArchTest
  static final ArchRule builtInOpsNeverImportTheRuntime = noClasses()
      .that().resideInAPackage("io.mrt.ops..")
      .should().dependOnClassesThat().resideInAPackage("io.mrt.runtime..")
      .because("ops-builtin is compiled against mrt-api and mrt-annotations only");

  @ArchTest
  static final ArchRule apiImportsNoJacksonPf4jDjlOrPicocli = noClasses()
      .that().resideInAPackage("io.mrt.api..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "com.fasterxml.jackson..", "org.pf4j..", "ai.djl..", "picocli..")
      .because("mrt-api is what op authors compile against: the IR, hooks and SPI, on nd4j-api only");

  @ArchTest
  static final ArchRule onlyTheCatalogThePluginHostAndTheReadersSeeDatasetProviders = noClasses()
      .that().resideInAPackage("io.mrt.runtime..")
      .and().resideOutsideOfPackages("io.mrt.runtime.registry..", "io.mrt.runtime.plugin..", "io.mrt.runtime.data..")
      .should().dependOnClassesThat().haveFullyQualifiedName("io.mrt.api.data.DatasetProvider")
      .because("stages read data sets through Datasets and the DatasetCatalog, never a provider directly, so a "
          + "plugin's data set and a built-in one take the same path");

  @ArchTest
  static final ArchRule theDatasetSpiNeedsOnlyTheJdk = classes()
      .that().resideInAPackage("io.mrt.api.data..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.mrt.api.data..", "java..")
      .because("a dataset plugin compiles against mrt-api without nd4j or any other library");

  @ArchTest
  static final ArchRule apiNeverImportsTheRuntimeOrTheOps = noClasses()
      .that().resideInAPackage("io.mrt.api..")
      .should().dependOnClassesThat().resideInAnyPackage("io.mrt.runtime..", "io.mrt.ops..");

  @ArchTest
  static final ArchRule annotationsDependOnNothingButTheJdk = classes()
      .that().resideInAPackage("io.mrt.annotations..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.mrt.annotations..", "java..");

  @ArchTest
  static final ArchRule onlyTheTableDefinesCvmOperatorRules = noClasses()
      .that().resideOutsideOfPackage("io.mrt.annotations.cvm..")
      .should().callConstructor(CvmRules.Operator.class, String.class, CvmRules.Arity.class, int.class, boolean.class,
          int.class, CvmRules.Precision.class)
      .orShould().implement(CvmRules.Precision.class)
      .because("the CVM operators' names, arities, storage sharing and precision rules are one table (CvmRules) "
          + "that the processor, the executor, the compiler and the quantizer all read");

  @ArchTest
  static final ArchRule runtimePackagesAreFreeOfCycles =
      slices().matching("io.mrt.runtime.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule apiPackagesAreFreeOfCycles =
      slices().matching("io.mrt.api.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule builtInOpHelpersNeverNameAnOperator = noClasses()
      .that().resideInAPackage("io.mrt.ops.support..")
      .should().dependOnClassesThat().resideInAPackage("io.mrt.ops")
      .because("the helpers serve the operators of io.mrt.ops; an operator's own types stay beside it");

  @ArchTest
  static final ArchRule builtInOpPackagesAreFreeOfCycles =
      slices().matching("io.mrt.ops.(**)").should().beFreeOfCycles().allowEmptyShould(true);

  /**
   * cli -> stage -> pass / exec / io -> mrt-api, with the service rooms beside them (config,
   * plugin, data above; registry and progress reporting below). A layer lists who may use it; a layer may be skipped (cli may read a model through io directly), but no
   * dependency points upwards. The root package (MrtException) may be used by all and uses none.
   */
  @ArchTest
  static final ArchRule runtimeLayersPointOneWay = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .withOptionalLayers(true)
      .layer("cli").definedBy("io.mrt.runtime.cli..")
      .layer("stage").definedBy("io.mrt.runtime.stage..")
      .layer("config").definedBy("io.mrt.runtime.config..")
      .layer("plugin").definedBy("io.mrt.runtime.plugin..")
      .layer("data").definedBy("io.mrt.runtime.data..")
      .layer("pass").definedBy("io.mrt.runtime.pass..")
      .layer("exec").definedBy("io.mrt.runtime.exec..")
      .layer("io").definedBy("io.mrt.runtime.io..")
      .layer("registry").definedBy("io.mrt.runtime.registry..")
      .layer("progress").definedBy("io.mrt.runtime.progress..")
      .layer("core").definedBy("io.mrt.runtime")
      .whereLayer("cli").mayNotBeAccessedByAnyLayer()
      .whereLayer("stage").mayOnlyBeAccessedByLayers("cli")
      .whereLayer("config").mayOnlyBeAccessedByLayers("cli", "stage", "plugin")
      .whereLayer("plugin").mayOnlyBeAccessedByLayers("cli", "stage")
      .whereLayer("data").mayOnlyBeAccessedByLayers("cli", "stage")
      .whereLayer("pass").mayOnlyBeAccessedByLayers("cli", "stage")
      .whereLayer("exec").mayOnlyBeAccessedByLayers("cli", "stage", "pass")
      .whereLayer("io").mayOnlyBeAccessedByLayers("cli", "stage", "pass", "exec", "data")
      .whereLayer("registry").mayOnlyBeAccessedByLayers(
          "cli", "stage", "config", "plugin", "data", "pass", "exec", "io")
      .whereLayer("progress").mayOnlyBeAccessedByLayers(
          "cli", "stage", "config", "plugin", "data", "pass", "exec", "io", "registry")
      .because("dependencies point one way: cli -> stage -> pass/exec/io -> mrt-api (DESIGN.md section 2)");

  /**
   * The stages: one package each under {@code stage} (with the report), the pieces they share at
   * its root ({@code Stage}, {@code StageContext}, the file layout, the data), and
   * {@code stage.run}, the pipeline, which alone knows every stage and reads their options from the
   * config.
   */
  @ArchTest
  static final ArchRule stagePackagesAreFreeOfCycles =
      slices().matching("io.mrt.runtime.stage.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule everyStageHasAPackageOfItsOwn = classes()
      .that().implement(Stage.class)
      .should().resideInAPackage("io.mrt.runtime.stage.*").andShould().haveSimpleNameEndingWith("Stage")
      .because("one package per stage: stage.prepare, stage.calibrate, stage.quantize, stage.evaluate, "
          + "stage.compile; the root of stage holds what they share");

  @ArchTest
  static final ArchRule stagesNeverRunThePipeline = noClasses()
      .that().resideInAPackage("io.mrt.runtime.stage..").and().resideOutsideOfPackage("io.mrt.runtime.stage.run..")
      .should().dependOnClassesThat().resideInAPackage("io.mrt.runtime.stage.run..")
      .because("the pipeline runs the stages; a stage knows only the stages whose files it reads");

  @ArchTest
  static final ArchRule stagesNeverReadTheConfig = noClasses()
      .that().resideInAPackage("io.mrt.runtime.stage..").and().resideOutsideOfPackage("io.mrt.runtime.stage.run..")
      .and().doNotHaveFullyQualifiedName("io.mrt.runtime.stage.StageFiles")
      .should().dependOnClassesThat().resideInAPackage("io.mrt.runtime.config..")
      .because("a stage takes its options record and a StageContext; stage.run reads the config (StageOptions, "
          + "StageData), and StageFiles.of names the files a config describes");

  @ArchTest
  static final ArchRule corePackageDependsOnNoRuntimeRoom = noClasses()
      .that().resideInAPackage("io.mrt.runtime")
      .should().dependOnClassesThat().resideInAPackage("io.mrt.runtime.(*)..");
}
