package io.mrt.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mrt.runtime.MrtException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken config files: each ends in one MrtException that names the file and the key or line. */
class ConfigHardeningTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("model.yaml");
    Files.writeString(f, text);
    return f;
  }

  private String refusal(Path f) {
    return assertThrows(MrtException.class, () -> ConfigLoader.load(f, List.of())).getMessage();
  }

  @Test
  void aConfigThatLinksToDevZeroIsRefusedBeforeReading() throws IOException {
    Path f = Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));
    assertEquals(f + ": expected a regular config file, found a special file (device, pipe or socket) behind a link",
        refusal(f));
  }

  @Test
  void tenThousandNestedBracketsAreRefusedWithTheLimit() throws IOException {
    Path f = yaml("COMMON:\n  DEVICE_IDS: " + "[".repeat(10_000) + "\n");
    String msg = refusal(f);
    assertTrue(msg.startsWith(f + ": not valid YAML: Document nesting depth (65) exceeds the maximum allowed (64"),
        msg);
    assertTrue(msg.length() < 300, msg);
  }

  @Test
  void aDuplicateKeyIsRefusedInsteadOfTheLastOneWinning() throws IOException {
    Path f = yaml("COMMON:\n  BATCH: 8\n  BATCH: 16\n");
    String msg = refusal(f);
    assertTrue(msg.startsWith(f + ": at line 3"), msg);
    assertTrue(msg.contains("Duplicate field 'BATCH'"), msg);
  }

  @Test
  void aNonUtf8ConfigNamesTheByteOffset() throws IOException {
    Path f = dir.resolve("latin1.yaml");
    Files.write(f, "COMMON:\n  MODEL_NAME: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(f + ": config file: byte 25: expected UTF-8 text, found the byte 0xe9 (save the file as UTF-8)",
        refusal(f));
  }

  @Test
  void integersBeyond32BitsAreRefusedNotWrapped() throws IOException {
    String abs = dir.resolve("model.yaml").toAbsolutePath() + ": ";
    assertEquals(abs + "COMMON.BATCH: expected an integer in [-2147483648, 2147483647], found 4294967312",
        refusal(yaml("COMMON:\n  BATCH: 4294967312\n")));
    assertEquals(abs + "CALIBRATE.NUM_CALIB: expected an integer in [-2147483648, 2147483647], found 4294967297",
        refusal(yaml("CALIBRATE:\n  NUM_CALIB: 4294967297\n")));
    assertEquals(abs + "COMMON.BATCH: expected an integer in [-2147483648, 2147483647], found 1099511627776",
        refusal(yaml("COMMON:\n  BATCH: 1099511627776\n")));
    assertEquals(abs + "COMMON.BATCH: expected an integer in [-2147483648, 2147483647], found "
        + "1267650600228229401496703205376", refusal(yaml("COMMON:\n  BATCH: 1267650600228229401496703205376\n")));
    assertEquals(abs + "PREPARE.INPUT_SHAPE[1]: expected an integer in [-2147483648, 2147483647], found 4294967299",
        refusal(yaml("PREPARE:\n  INPUT_SHAPE: [-1, 4294967299, 28, 28]\n")));
  }

  @Test
  void opProvidersMustMapNamesToNames() throws IOException {
    String abs = dir.resolve("model.yaml").toAbsolutePath() + ": ";
    assertEquals(abs + "COMMON.OP_PROVIDERS: expected a map of names to names, found the entry tanh: a list [a, b]",
        refusal(yaml("COMMON:\n  OP_PROVIDERS: {tanh: [a, b]}\n")));
    assertEquals(abs + "COMMON.OP_PROVIDERS: expected a map of names to names, found the entry tanh: the number 3",
        refusal(yaml("COMMON:\n  OP_PROVIDERS: {tanh: 3}\n")));
    MrtConfig ok = ConfigLoader.load(yaml("COMMON:\n  OP_PROVIDERS: {tanh: mrt-tanh}\n"), List.of());
    assertEquals(java.util.Map.of("tanh", "mrt-tanh"), ok.get("COMMON.OP_PROVIDERS"));
  }

  @Test
  void aLongValueIsAbbreviatedInTheMessage() throws IOException {
    String huge = "x".repeat(600_000);
    String msg = refusal(yaml("COMMON:\n  BATCH: " + huge + "\n"));
    assertTrue(msg.endsWith("COMMON.BATCH: expected an integer, found the string " + "x".repeat(120)
        + "... (600000 characters)"), msg.substring(0, Math.min(400, msg.length())));
  }
}
