package io.mrt.runtime.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a generated block of a document under docs/ is current. With
 * {@code -Dmrt.docs.update=true} the block is rewritten instead.
 */
final class GeneratedDocs {
  private GeneratedDocs() {}

  /** The repository root (the folder with the root pom), found upwards from the working directory. */
  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mrt")) ) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static void check(String doc, String block, String generated) throws IOException {
    Path file = repoRoot().resolve("docs").resolve(doc);
    String text = Files.readString(file);
    String start = "<!-- generated:" + block + ":start -->\n";
    String end = "<!-- generated:" + block + ":end -->";
    int s = text.indexOf(start);
    int e = text.indexOf(end);
    assertTrue(s >= 0 && e > s, file + " must contain the markers of block " + block);
    String current = text.substring(s + start.length(), e);
    if (Boolean.getBoolean("mrt.docs.update")) {
      Files.writeString(file, text.substring(0, s + start.length()) + generated + text.substring(e));
      return;
    }
    assertEquals(generated, current, file + " is out of date; regenerate with "
        + "mvn -pl mrt-runtime -am test -Dtest=DocsAreCurrentTest -Dmrt.docs.update=true -Dsurefire.failIfNoSpecifiedTests=false");
  }
}
