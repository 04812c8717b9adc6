package io.mrt.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** mrt-testing sits on a plugin's test class path beside mrt-api: it must not bring the runtime. */
@AnalyzeClasses(packages = "io.mrt.testing", importOptions = ImportOption.DoNotIncludeTests.class)
class TestingArchitectureTest {
  @ArchTest
  static final ArchRule usesOnlyTheOperatorApi = classes().should().onlyDependOnClassesThat()
      .resideInAnyPackage("java..", "io.mrt.api..", "org.nd4j..", "io.mrt.testing..")
      .because("op authors' tests compile against mrt-api and mrt-testing only");
}
