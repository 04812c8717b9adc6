package io.mrt.runtime.pass;

import static io.mrt.runtime.pass.TestGraphs.CTX;
import static io.mrt.runtime.pass.TestGraphs.a;
import static io.mrt.runtime.pass.TestGraphs.input;
import static io.mrt.runtime.pass.TestGraphs.lines;
import static io.mrt.runtime.pass.TestGraphs.model;
import static io.mrt.runtime.pass.TestGraphs.op;
import static io.mrt.runtime.pass.TestGraphs.params;
import static io.mrt.runtime.pass.TestGraphs.text;
import static io.mrt.runtime.pass.TestGraphs.values;
import static io.mrt.runtime.pass.TestGraphs.var;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.Attrs;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.api.graph.Shape;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.exec.fp.ShapeInference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Input name replacement, input shape attachment, multiple inputs fusion, the shape check. */
class InputPassesTest {
  @Test
  void inputNameReplaceRenamesTheSingleInputToDataKeepingItsAttributes() {
    Node x = Node.variable("x", Attrs.of("__dtype__", "0"));
    Node w = var("w");
    Model m = model(params("w", values(1, 3)), op("broadcast_mul", "y", a(), x, w));
    Model out = new InputNameReplacePass().apply(m, CTX);
    assertEquals(lines(
        "data = input {__dtype__=0}",
        "w = param (3,)",
        "y = broadcast_mul(data, w)",
        "heads y"), text(out));
  }

  @Test
  void inputNameReplaceRefusesTwoInputsAndSuspectsAMissingParameter() {
    Model m = model(Map.of(), op("broadcast_mul", "y", a(), var("x"), var("w")));
    MrtException e = assertThrows(MrtException.class, () -> new InputNameReplacePass().apply(m, CTX));
    assertEquals("expected exactly one input (a variable without a value in the params file), found 2: [x, w];"
        + " is a parameter missing from the params file?", e.getMessage());
  }

  @Test
  void withBatchReplacesTheSingleBatchMark() {
    assertEquals(Shape.of(1, 1, 28, 28), AttachInputShapePass.withBatch(List.of(-1, 1, 28, 28), 1));
    assertEquals(Shape.of(3, 16, 5), AttachInputShapePass.withBatch(List.of(3, -1, 5), 16));
  }

  @Test
  void withBatchRefusesNoneOrTwoBatchMarksAndZeroDimensions() {
    assertEquals("PREPARE.INPUT_SHAPE [1, 3, 8, 8]: expected exactly one -1 (the batch axis), found 0",
        assertThrows(MrtException.class, () -> AttachInputShapePass.withBatch(List.of(1, 3, 8, 8), 1)).getMessage());
    assertEquals("PREPARE.INPUT_SHAPE [-1, -1, 8]: expected exactly one -1 (the batch axis), found 2",
        assertThrows(MrtException.class, () -> AttachInputShapePass.withBatch(List.of(-1, -1, 8), 1)).getMessage());
    assertEquals("PREPARE.INPUT_SHAPE [-1, 0, 8]: dimension 1 must be positive or -1 (the batch axis), found 0",
        assertThrows(MrtException.class, () -> AttachInputShapePass.withBatch(List.of(-1, 0, 8), 1)).getMessage());
  }

  @Test
  void attachInputShapeDeclaresTheShapeOnTheInput() {
    Model m = model(Map.of(), op("relu", "y", a(), var("data")));
    Model out = new AttachInputShapePass(Map.of("data", Shape.of(1, 3, 8, 8))).apply(m, CTX);
    assertEquals(lines("data = input {__shape__=(1, 3, 8, 8)}", "y = relu(data)", "heads y"), text(out));
    assertEquals(Shape.of(1, 3, 8, 8), ShapeInference.infer(out, Map.of(), CTX.ops()).get(out.graph().heads().get(0)));
  }

  @Test
  void attachInputShapeRefusesAShapeForANodeThatIsNotAnInput() {
    Model m = model(Map.of(), op("relu", "y", a(), var("data")));
    MrtException e = assertThrows(MrtException.class,
        () -> new AttachInputShapePass(Map.of("x", Shape.of(1, 2))).apply(m, CTX));
    assertEquals("input shapes are given for [x], but the model's inputs are [data]", e.getMessage());
  }

  @Test
  void fuseMultipleInputsSlicesOneFlatDataKeepingTheBatchAxis() {
    Node p = input("p", 1, 2, 3);
    Node q = input("q", 1, 4);
    Model m = model(Map.of(), op("elemwise_add", "y", a(), op("sum", "sp", a("axis", "(2,)"), p),
        op("slice_axis", "sq", a("axis", "1", "begin", "0", "end", "2"), q)));
    Model out = new FuseMultipleInputsPass().apply(m, CTX);
    assertEquals(lines(
        "data = input {__shape__=(1, 10)}",
        "p_slice = slice_axis(data) {axis=1, begin=0, end=6}",
        "p = Reshape(p_slice) {shape=(-1, 2, 3)}",
        "sp = sum(p) {axis=(2,)}",
        "q_slice = slice_axis(data) {axis=1, begin=6, end=10}",
        "q = Reshape(q_slice) {shape=(-1, 4)}",
        "sq = slice_axis(q) {axis=1, begin=0, end=2}",
        "y = elemwise_add(sp, sq)",
        "heads y"), text(out));
  }

  @Test
  void inferShapeCheckNamesTheInconsistentNode() {
    Node x = input("data", 1, 3);
    Node w = var("w");
    Model m = model(params("w", values(1, 4)), op("elemwise_add", "y", a(), x, w));
    MrtException e = assertThrows(MrtException.class, () -> new InferShapeCheckPass().apply(m, CTX));
    assertTrue(e.getMessage().startsWith("node y (elemwise_add): input shapes must be equal, found (1, 3) and (4,)"),
        e.getMessage());
  }

  @Test
  void inferShapeCheckNamesAnInputWithoutShape() {
    Model m = model(Map.of(), op("relu", "y", a(), var("data")));
    MrtException e = assertThrows(MrtException.class, () -> new InferShapeCheckPass().apply(m, CTX));
    assertEquals("node data: the input has no shape: give one (e.g. --input-shape or INPUT_SHAPE)",
        e.getMessage());
  }

  @Test
  void inferShapeCheckKeepsAConsistentModel() {
    INDArray w = values(1, 3);
    Model m = model(params("w", w), op("broadcast_add", "y", a(), input("data", 2, 3), var("w")));
    assertSame(m, new InferShapeCheckPass().apply(m, CTX));
  }
}
