package io.mrt.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.mrt.api.graph.Model;
import io.mrt.api.graph.Node;
import io.mrt.onnx.proto.OnnxProto.AttributeProto;
import io.mrt.onnx.proto.OnnxProto.GraphProto;
import io.mrt.onnx.proto.OnnxProto.ModelProto;
import io.mrt.onnx.proto.OnnxProto.NodeProto;
import io.mrt.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.mrt.onnx.proto.OnnxProto.StringStringEntryProto;
import io.mrt.onnx.proto.OnnxProto.TensorProto;
import io.mrt.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX reader: what a small model becomes, and one clear error per kind of bad file. */
class OnnxModelReaderTest {
  @TempDir
  Path dir;

  private static TensorProto weight(String name) {
    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(2)
        .addFloatData(1.5f).addFloatData(-2f).build();
  }

  private static ModelProto model(int opset, TensorProto w) {
    GraphProto g = GraphProto.newBuilder().setName("g")
        .addInput(ValueInfoProto.newBuilder().setName("x"))
        .addInitializer(w)
        .addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("x").addInput(w.getName())
            .addOutput("y"))
        .addNode(NodeProto.newBuilder().setOpType("LeakyRelu").setName("act").addInput("y").addOutput("z")
            .addAttribute(AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT)
                .setF(0.25f)))
        .addOutput(ValueInfoProto.newBuilder().setName("z")).build();
    return ModelProto.newBuilder().setIrVersion(7)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void nodesBecomePrefixedOpsWithStringAttributesAndInitializersBecomeParams() throws IOException {
    Model m = OnnxModelReader.read(write("m.onnx", model(13, weight("w")).toByteArray()));
    List<Node> ops = m.graph().ops();
    assertEquals(List.of("onnx_Add", "onnx_LeakyRelu"), ops.stream().map(Node::op).toList());
    assertEquals("0.25", ops.get(1).attrs().getString("alpha"));
    assertEquals("13", ops.get(1).attrs().getString("opset"));
    assertEquals(List.of("x"), List.copyOf(m.inputNames()));
    assertEquals(-2f, m.params().get("w").getFloat(1));
  }

  @Test
  void anOpsetOutsideTheSupportedRangeIsRefusedNamingTheFile() throws IOException {
    Path p = write("new.onnx", model(18, weight("w")).toByteArray());
    OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelReader.read(p));
    assertEquals(p + ": opset 18 of the default domain is not supported (expected 6 to 17; re-export the model"
        + " with opset_version in that range)", e.getMessage());
  }

  @Test
  void aTensorWhoseDataDoesNotMatchItsShapeIsRefusedNamingTheInitializer() throws IOException {
    TensorProto bad = weight("w").toBuilder().clearFloatData().setRawData(ByteString.copyFrom(new byte[5])).build();
    Path p = write("bad.onnx", model(13, bad).toByteArray());
    OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelReader.read(p));
    assertEquals(p + ": initializer w: shape [2] of FLOAT needs 8 bytes of data, found 5", e.getMessage());
  }

  @Test
  void externalDataOutsideTheModelsFolderIsRefused() throws IOException {
    TensorProto ext = weight("w").toBuilder().clearFloatData()
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin")).build();
    Path p = write("ext.onnx", model(13, ext).toByteArray());
    OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelReader.read(p));
    assertEquals(p + ": initializer w: external data '../secret.bin' is refused: expected a file name beside the"
        + " model in " + dir.toAbsolutePath(), e.getMessage());
  }

  @Test
  void externalDataBesideTheModelIsRead() throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putFloat(3f).putFloat(4f);
    write("w.bin", b.array());
    TensorProto ext = weight("w").toBuilder().clearFloatData()
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")).build();
    Model m = OnnxModelReader.read(write("ext.onnx", model(13, ext).toByteArray()));
    assertEquals(4f, m.params().get("w").getFloat(1));
  }

  @Test
  void aFileThatIsNotAModelProtoIsOneClearError() throws IOException {
    Path p = write("garbage.onnx", "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelReader.read(p));
    assertEquals(true, e.getMessage().startsWith(p + ": not a valid ONNX ModelProto"), e.getMessage());
  }
}
