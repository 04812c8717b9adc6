#set( $opId = $opName.toLowerCase() )
package ${package};

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The plugin is compiled against mrt-api only: it never reaches into the runtime. */
@AnalyzeClasses(packages = "${package}", importOptions = ImportOption.DoNotIncludeTests.class)
class PluginArchitectureTest {
  @ArchTest
  static final ArchRule neverImportsTheRuntime = noClasses().should().dependOnClassesThat()
      .resideInAPackage("io.mrt.runtime..");

  @ArchTest
  static final ArchRule usesOnlyTheOperatorApi = classes().should().onlyDependOnClassesThat()
      .resideInAnyPackage("java..", "io.mrt.api..", "io.mrt.annotations..", "org.nd4j..", "${package}..");
}
