package io.mrt.runtime.pass;

import static io.mrt.runtime.pass.TestGraphs.CTX;
import static io.mrt.runtime.pass.TestGraphs.a;
import static io.mrt.runtime.pass.TestGraphs.input;
import static io.mrt.runtime.pass.TestGraphs.lines;
import static io.mrt.runtime.pass.TestGraphs.maxDiff;
import static io.mrt.runtime.pass.TestGraphs.model;
import static io.mrt.runtime.pass.TestGraphs.op;
import static io.mrt.runtime.pass.TestGraphs.run;
import static io.mrt.runtime.pass.TestGraphs.text;
import static io.mrt.runtime.pass.TestGraphs.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Transpose fusion through the ops' fuseTranspose hooks; every case keeps the float outputs. */
class FuseTransposePassTest {
  private static Model fuse(Model m, long... inputShape) {
    Model out = new FuseTransposePass().apply(m, CTX);
    INDArray x = values(11, inputShape);
    assertEquals(0.0, maxDiff(run(m, x).get(0), run(out, x).get(0)), 1e-6);
    return out;
  }

  @Test
  void twoTransposesMergeIntoOneWhichMovesBelowTheRelu() {
    Node x = input("data", 1, 2, 3, 4);
    Node t1 = op("transpose", "t1", a("axes", "(0, 2, 3, 1)"), x);
    Node t2 = op("transpose", "t2", a("axes", "(0, 2, 1, 3)"), t1);
    Model out = fuse(model(Map.of(), op("relu", "r", a(), t2)), 1, 2, 3, 4);
    assertEquals(lines(
        "data = input {__shape__=(1, 2, 3, 4)}",
        "r = relu(data)",
        "t2_1 = transpose(r) {axes=(0, 3, 2, 1)}",
        "heads t2_1"), text(out));
  }

  @Test
  void transposesThatCancelDisappear() {
    Node x = input("data", 1, 2, 3, 4);
    Node t1 = op("transpose", "t1", a("axes", "(0, 2, 3, 1)"), x);
    Node t2 = op("transpose", "t2", a("axes", "(0, 3, 1, 2)"), t1);
    Model out = fuse(model(Map.of(), op("relu", "r", a(), t2)), 1, 2, 3, 4);
    assertEquals(lines("data = input {__shape__=(1, 2, 3, 4)}", "r = relu(data)", "heads r"), text(out));
  }

  @Test
  void anIdentityTransposeDisappears() {
    Node x = input("data", 2, 3);
    Model out = fuse(model(Map.of(), op("negative", "n", a(), op("transpose", "t", a("axes", "(0, 1)"), x))), 2, 3);
    assertEquals(lines("data = input {__shape__=(2, 3)}", "n = negative(data)", "heads n"), text(out));
  }

  @Test
  void unaryOpsMoveAboveTheTranspose() {
    Node x = input("data", 1, 2, 3);
    Node t = op("transpose", "t", a("axes", "(0, 2, 1)"), x);
    Node r = op("Activation", "act", a("act_type", "relu"), t);
    Node c = op("clip", "c", a("a_min", "-0.5", "a_max", "0.5"), r);
    Model out = fuse(model(Map.of(), c), 1, 2, 3);
    assertEquals(lines(
        "data = input {__shape__=(1, 2, 3)}",
        "act = Activation(data) {act_type=relu}",
        "c = clip(act) {a_max=0.5, a_min=-0.5}",
        "t_1_1 = transpose(c) {axes=(0, 2, 1)}",
        "heads t_1_1"), text(out));
  }

  @Test
  void elementwiseOpsOfTheSameTransposeRunBeforeIt() {
    Node x = input("data", 1, 2, 3);
    Node t1 = op("transpose", "t1", a("axes", "(0, 2, 1)"), x);
    Node t2 = op("transpose", "t2", a("axes", "(0, 2, 1)"), op("negative", "n", a(), x));
    Model out = fuse(model(Map.of(), op("elemwise_add", "add", a(), t1, t2)), 1, 2, 3);
    assertEquals(lines(
        "data = input {__shape__=(1, 2, 3)}",
        "n = negative(data)",
        "add = elemwise_add(data, n)",
        "t1_1 = transpose(add) {axes=(0, 2, 1)}",
        "heads t1_1"), text(out));
  }

  @Test
  void concatOfTheSameTransposeConcatenatesAlongTheMappedAxis() {
    Node x = input("data", 1, 2, 3);
    Node t1 = op("transpose", "t1", a("axes", "(0, 2, 1)"), x);
    Node t2 = op("transpose", "t2", a("axes", "(0, 2, 1)"), op("negative", "n", a(), x));
    Model out = fuse(model(Map.of(), op("Concat", "cat", a("dim", "2", "num_args", "2"), t1, t2)), 1, 2, 3);
    assertEquals(lines(
        "data = input {__shape__=(1, 2, 3)}",
        "n = negative(data)",
        "cat = Concat(data, n) {dim=1, num_args=2}",
        "t1_1 = transpose(cat) {axes=(0, 2, 1)}",
        "heads t1_1"), text(out));
  }

  @Test
  void aSumOfATransposeReducesTheMappedAxes() {
    Node x = input("data", 1, 2, 3, 4);
    Node t = op("transpose", "t", a("axes", "(0, 2, 3, 1)"), x);
    Model out = fuse(model(Map.of(), op("sum", "s", a("axis", "(3,)"), t)), 1, 2, 3, 4);
    assertEquals(lines("data = input {__shape__=(1, 2, 3, 4)}", "s = sum(data) {axis=(1,)}", "heads s"), text(out));
  }

  @Test
  void aSumOfATransposeKeepsTheTransposeOfTheKeptAxesWhenTheirOrderChanges() {
    Node x = input("data", 2, 3, 4);
    Node t = op("transpose", "t", a("axes", "(1, 0, 2)"), x);
    Model out = fuse(model(Map.of(), op("mean", "m", a("axis", "(2,)"), t)), 2, 3, 4);
    assertEquals(lines(
        "data = input {__shape__=(2, 3, 4)}",
        "m = mean(data) {axis=(2,)}",
        "t_1 = transpose(m) {axes=(1, 0)}",
        "heads t_1"), text(out));
  }

  @Test
  void aKeepdimsMaxOfATransposeIsTransposedAfterwards() {
    Node x = input("data", 2, 3, 4);
    Node t = op("transpose", "t", a("axes", "(2, 0, 1)"), x);
    Model out = fuse(model(Map.of(), op("max", "mx", a("axis", "(0,)", "keepdims", "True"), t)), 2, 3, 4);
    assertEquals(lines(
        "data = input {__shape__=(2, 3, 4)}",
        "mx = max(data) {axis=(2,), keepdims=True}",
        "t_1 = transpose(mx) {axes=(2, 0, 1)}",
        "heads t_1"), text(out));
  }

  @Test
  void dropoutAndLeakyReluMoveAboveTheTranspose() {
    Node x = input("data", 1, 2, 3);
    Node t = op("transpose", "t", a("axes", "(0, 2, 1)"), x);
    Node d = op("Dropout", "drop", a("p", "0.5"), t);
    Model out = fuse(model(Map.of(), op("LeakyReLU", "lr", a("slope", "0.2"), d)), 1, 2, 3);
    assertEquals(lines(
        "data = input {__shape__=(1, 2, 3)}",
        "drop = Dropout(data) {p=0.5}",
        "lr = LeakyReLU(drop) {slope=0.2}",
        "t_1_1 = transpose(lr) {axes=(0, 2, 1)}",
        "heads t_1_1"), text(out));
  }

  @Test
  void elementwiseOpsOfDifferentTranspositionsStay() {
    Node x = input("data", 2, 2, 2);
    Node t1 = op("transpose", "t1", a("axes", "(0, 2, 1)"), x);
    Node t2 = op("transpose", "t2", a("axes", "(2, 1, 0)"), op("negative", "n", a(), x));
    Model m = model(Map.of(), op("elemwise_sub", "sub", a(), t1, op("transpose", "t3", a("axes", "(0, 2, 1)"), t2)));
    Model out = fuse(m, 2, 2, 2);
    assertEquals(lines(
        "data = input {__shape__=(2, 2, 2)}",
        "t1 = transpose(data) {axes=(0, 2, 1)}",
        "n = negative(data)",
        "t3 = transpose(n) {axes=(2, 0, 1)}",
        "sub = elemwise_sub(t1, t3)",
        "heads sub"), text(out));
  }
}
