package io.mrt.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.api.graph.AttrException;
import io.mrt.api.graph.Attrs;
import io.mrt.api.registry.Hook;
import io.mrt.api.registry.HookType;
import io.mrt.api.registry.OpRegistry;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The processor's own tables agree with what they mirror: the hook list with mrt-api's
 * {@code Hook} and {@code OpRegistry}, the default-value check with the runtime's {@code Attrs}
 * parsers, the CVM operator set with spec/CVM_OPS.md.
 */
class ProcessorTablesTest {

  @Test
  void hookKindsAreTheApiHookTypesInOrderWithTheirInterfaces() throws Exception {
    assertEquals(Arrays.stream(Hook.values()).map(Enum::name).toList(),
        HookType.values().stream().map(t -> t.hook().name()).toList());
    assertEquals(HookType.values().stream().map(t -> t.hook().name()).toList(),
        Arrays.stream(HookKind.values()).map(Enum::name).toList());
    for (HookKind h : HookKind.values()) {
      assertEquals(HookType.of(Hook.valueOf(h.name())).type(), Class.forName(h.qualifiedIface()), h.name());
    }
    List<String> abstractMethods = Arrays.stream(OpRegistry.class.getMethods())
        .filter(m -> !m.isDefault()).map(Method::getName).sorted().toList();
    assertEquals(List.of("name", "ops"), abstractMethods,
        "OpRegistry's generated methods are name(), ops() and hook(HookType, op); a new one needs the generator too");
    assertEquals(Object.class, OpRegistry.class.getMethod("hook", HookType.class, String.class).getReturnType());
  }

  /** What the runtime does when an op reads the attribute with the accessor that takes a default. */
  private static boolean runtimeAccepts(String type, String value) {
    Attrs a = Attrs.of("k", value);
    Map<String, Consumer<Attrs>> read = Map.of(
        "BOOL", x -> x.getBool("k", false),
        "INT", x -> x.getInt("k", 0),
        "LONG", x -> Attrs.parseLong("k", x.getString("k")),
        "FLOAT", x -> x.getDouble("k", 0),
        "DOUBLE", x -> x.getDouble("k", 0),
        "STRING", x -> x.getString("k"),
        "INTS", x -> x.getInts("k"),
        "LONGS", x -> Attrs.parseLongs("k", x.getString("k")),
        "FLOATS", x -> Attrs.parseDoubles("k", x.getString("k")),
        "DOUBLES", x -> Attrs.parseDoubles("k", x.getString("k")));
    if (Attrs.isNone(value)) {
      return true; // "not set": the op sees its fallback
    }
    try {
      read.get(type).accept(a);
      return true;
    } catch (AttrException e) {
      return false;
    }
  }

  @Test
  void defaultCheckAcceptsExactlyWhatTheRuntimeParses() {
    List<String> samples = List.of("0", "1", "-7", " 42 ", "2.0", "2.5", "1e3", "3000000000", "True", "false",
        "TRUE", "yes", "", " ", "None", "none", "inf", "-inf", "+inf", "nan", "Infinity", "abc", "(1, 1)",
        "[1,2]", "(3,)", "()", "(1, None)", "(1, 2", "1, 2)", "(0.5, -inf)", "(1, x)", "((1))", "0x10", "1f");
    List<String> disagreements = new ArrayList<>();
    for (String type : List.of("BOOL", "INT", "LONG", "FLOAT", "DOUBLE", "STRING", "INTS", "LONGS", "FLOATS", "DOUBLES")) {
      for (String v : samples) {
        boolean compileTime = AttrDefaults.parses(type, v);
        if (compileTime != runtimeAccepts(type, v)) {
          disagreements.add(type + " '" + v + "': processor " + compileTime);
        }
      }
    }
    assertEquals(List.of(), disagreements);
    // and the check is not vacuous
    assertTrue(AttrDefaults.parses("INTS", "(1, 1)"));
    assertTrue(!AttrDefaults.parses("INT", "abc"));
  }

  @Test
  void cvmOperatorsAreTheThirtySevenOfTheSpecTable() throws IOException {
    String shared = System.getProperty("mrt.shared.dir", "../test-fixtures");
    Path spec = Path.of(shared, "spec", "CVM_OPS.md");
    if (!Files.exists(spec)) {
      spec = Path.of("..", "test-fixtures", "spec", "CVM_OPS.md"); // module dir, outside Maven
    }
    String text = Files.readString(spec);
    String table = text.substring(text.indexOf("## 1."), text.indexOf("## 2."));
    TreeSet<String> ops = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|").matcher(table);
    while (m.find()) {
      ops.add(m.group(1));
    }
    assertEquals(37, ops.size());
    assertEquals(ops, CvmOps.ALL);
  }

  @Test
  void misspeltCvmOperatorsGetTheClosestName() {
    assertEquals(Optional.of("conv2d"), CvmOps.suggest("Conv2D"));
    assertEquals(Optional.of("max_pool2d"), CvmOps.suggest("max_pool_2d"));
    assertEquals(Optional.of("broadcast_add"), CvmOps.suggest("broadcast_ad"));
    assertEquals(Optional.empty(), CvmOps.suggest("softmax"));
  }

  @Test
  void fieldNamesAreUpperSnakeAndNeverClash() {
    OpModel a = model("Activation[act_type=relu]");
    OpModel b = model("FlatTen");
    OpModel c = model("flat_ten");
    OpModel d = model("_contrib_box_nms");
    assertEquals(List.of("OP_ACTIVATION_ACT_TYPE_RELU", "OP_FLAT_TEN", "OP_FLAT_TEN_2", "OP_CONTRIB_BOX_NMS"),
        List.copyOf(RegistryGenerator.fieldNames(List.of(a, b, c, d)).values()));
  }

  private static OpModel model(String key) {
    return new OpModel(key, "p", List.of("C"), "p.C", List.of("x"), "", List.of(), List.of(), true,
        List.of(), 0, java.util.Set.of(HookKind.FORWARD));
  }
}
