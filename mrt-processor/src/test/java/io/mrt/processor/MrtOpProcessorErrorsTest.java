package io.mrt.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.mrt.processor.Fixtures.compile;
import static io.mrt.processor.Fixtures.source;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One fixture per mistake an op author can make: the compilation fails with the message of
 * {@link Messages} on the exact line of the offending element or value, and nothing is generated.
 */
class MrtOpProcessorErrorsTest {

  /** Compiles one fixture and checks that it fails with exactly one error, {@code message}, on the line. */
  private static Compilation assertOneError(String fixture, String message, String lineContaining) {
    JavaFileObject file = source(fixture);
    Compilation c = Fixtures.compile(List.of(), List.of(file));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(message).inFile(file).onLineContaining(lineContaining);
    assertThat(c).hadErrorCount(1);
    return c;
  }

  @Test
  void emptyNameListIsMissingName() {
    assertOneError("errors/MissingName.java", Messages.MISSING_NAME, "@MrtOp({})");
  }

  @Test
  void blankNameIsMissingName() {
    assertOneError("errors/BlankName.java", Messages.MISSING_NAME, "@MrtOp(\" \")");
  }

  @Test
  void nameWithASpaceIsNotAnMxnetOpName() {
    assertOneError("errors/BadName.java", Messages.BAD_NAME + "'Conv 2d'", "@MrtOp(\"Conv 2d\")");
  }

  @Test
  void sameNameTwiceInOneAnnotationIsReportedOnTheSecondOccurrence() {
    assertOneError("errors/DuplicateNameInOp.java", Messages.DUPLICATE_NAME_IN_OP + "Flatten", "    \"Flatten\"})");
  }

  @Test
  void twoClassesWithOneNameAreBothReportedOnTheirOwnName() {
    JavaFileObject a = source("errors/DuplicateNameA.java");
    JavaFileObject b = source("errors/DuplicateNameB.java");
    Compilation c = Fixtures.compile(List.of(), List.of(a, b));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(Messages.DUPLICATE_NAME + "Convolution (also handled by fixture.errors.DuplicateNameB)")
        .inFile(a).onLineContaining("@MrtOp(\"Convolution\")");
    assertThat(c).hadErrorContaining(Messages.DUPLICATE_NAME + "Convolution (also handled by fixture.errors.DuplicateNameA)")
        .inFile(b).onLineContaining("@MrtOp({\"Convolution2D\", \"Convolution\"})");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void keyedVariantsOfOneNameMustUseOneAttribute() {
    JavaFileObject a = source("errors/MixedWhenA.java");
    JavaFileObject b = source("errors/MixedWhenB.java");
    Compilation c = Fixtures.compile(List.of(), List.of(b, a));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(Messages.MIXED_WHEN
            + "Activation is keyed by act_type in fixture.errors.MixedWhenA and by mode in fixture.errors.MixedWhenB")
        .inFile(b).onLineContaining("@MrtOp(value = \"Activation\"");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void interfaceIsNotAClass() {
    assertOneError("errors/OnInterface.java", Messages.NOT_A_CLASS + "an interface", "@MrtOp(\"OnInterface\")");
  }

  @Test
  void enumIsNotAClass() {
    assertOneError("errors/OnEnum.java", Messages.NOT_A_CLASS + "an enum", "@MrtOp(\"OnEnum\")");
  }

  @Test
  void packagePrivateClassIsNotPublic() {
    assertOneError("errors/NotPublic.java", Messages.NOT_PUBLIC, "@MrtOp(\"NotPublic\")");
  }

  @Test
  void publicNestedClassOfAPackagePrivateClassIsNotPublic() {
    assertOneError("errors/NotPublicEnclosing.java", Messages.NOT_PUBLIC, "@MrtOp(\"NotPublicEnclosing\")");
  }

  @Test
  void abstractClassIsRejected() {
    assertOneError("errors/AbstractOp.java", Messages.ABSTRACT, "@MrtOp(\"AbstractOp\")");
  }

  @Test
  void nonStaticInnerClassIsRejected() {
    assertOneError("errors/InnerOp.java", Messages.INNER_CLASS, "@MrtOp(\"InnerOp\")");
  }

  @Test
  void genericClassIsRejected() {
    assertOneError("errors/GenericOp.java", Messages.GENERIC, "@MrtOp(\"GenericOp\")");
  }

  @Test
  void classWithoutPublicNoArgConstructorIsRejectedNamingTheConstructorToAdd() {
    assertOneError("errors/NoPublicConstructor.java",
        "@MrtOp class needs a public no-arg constructor; add 'public NoPublicConstructor() {}'",
        "@MrtOp(\"NoPublicConstructor\")");
    org.junit.jupiter.api.Assertions.assertTrue(Messages.NO_CONSTRUCTOR.endsWith("add 'public NAME() {}'"));
  }

  @Test
  void constructorDeclaringACheckedExceptionIsRejected() {
    assertOneError("errors/ConstructorThrows.java", Messages.CONSTRUCTOR_THROWS + "java.io.IOException",
        "@MrtOp(\"ConstructorThrows\")");
  }

  @Test
  void classWithoutHookInterfaceIsRejected() {
    assertOneError("errors/NoHook.java", Messages.NO_HOOK, "@MrtOp(\"NoHook\")");
  }

  @Test
  void listAndObjectAttributeTypesAreRejectedOnTheirOwnLines() {
    JavaFileObject file = source("errors/BadAttrType.java");
    Compilation c = Fixtures.compile(List.of(), List.of(file));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(Messages.BAD_ATTR_TYPE + "axes is java.util.List")
        .inFile(file).onLineContaining("@Attr(name = \"axes\", type = List.class)");
    assertThat(c).hadErrorContaining(Messages.BAD_ATTR_TYPE + "anything is java.lang.Object")
        .inFile(file).onLineContaining("@Attr(name = \"anything\", type = Object.class)");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void defaultThatDoesNotParseAsItsTypeIsRejected() {
    assertOneError("errors/BadDefault.java", Messages.BAD_DEFAULT + "stride = \"(1, one)\" is not a int[]",
        "defaultValue = \"(1, one)\"");
  }

  @Test
  void attributeDeclaredTwiceIsRejectedOnTheSecond() {
    assertOneError("errors/DuplicateAttr.java", Messages.DUPLICATE_ATTR + "axis",
        "@Attr(name = \"axis\", type = long.class)");
  }

  @Test
  void attributeWithEmptyNameIsRejected() {
    assertOneError("errors/EmptyAttrName.java", Messages.EMPTY_ATTR_NAME, "@MrtOp(value = \"EmptyAttrName\"");
  }

  @Test
  void unknownCvmOperatorsAreRejectedEachOnItsLineWithASuggestion() {
    JavaFileObject file = source("errors/UnknownCvmOp.java");
    Compilation c = Fixtures.compile(List.of(), List.of(file));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(Messages.UNKNOWN_CVM_OP + "Conv2D (did you mean conv2d?)")
        .inFile(file).onLineContaining("\"Conv2D\",");
    assertThat(c).hadErrorContaining(Messages.UNKNOWN_CVM_OP + "softmax")
        .inFile(file).onLineContaining("\"softmax\"})");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void whenWithoutValuesIsRejected() {
    assertOneError("errors/BadWhen.java", Messages.BAD_WHEN, "when = @When(attr = \"act_type\", equals = {})");
  }

  @Test
  void twoWhensAreRejected() {
    assertOneError("errors/ManyWhen.java", Messages.MANY_WHEN, "when = {@When(");
  }

  @Test
  void inputPrecisionAbove32IsRejected() {
    assertOneError("errors/BadInputPrecision.java", Messages.BAD_PRECISION + "33", "inputPrecision = 33");
  }

  @Test
  void everyMistakeOfACompilationIsReportedNotOnlyTheFirst() {
    Compilation c = compile("errors/NoHook.java", "errors/AbstractOp.java", "errors/BadInputPrecision.java");
    assertThat(c).hadErrorContaining(Messages.NO_HOOK);
    assertThat(c).hadErrorContaining(Messages.ABSTRACT);
    assertThat(c).hadErrorContaining(Messages.BAD_PRECISION);
    assertThat(c).hadErrorCount(3);
  }

  @Test
  void registryClassOptionThatIsNotAClassNameIsRejected() {
    Compilation c = Fixtures.compile(List.of("-Amrt.registry.class=io.mrt.1ops.Registry"),
        Fixtures.sources(Fixtures.GOLDEN));
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(Messages.BAD_OPTION + "'io.mrt.1ops.Registry'");
    assertThat(c).hadErrorCount(1);
  }
}
