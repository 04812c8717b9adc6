package io.mrt.runtime.docs;

import io.mrt.runtime.config.ConfigReference;
import io.mrt.runtime.registry.OpCoverage;
import io.mrt.runtime.registry.OpTable;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The generated tables in docs/ match the code. */
class DocsAreCurrentTest {
  @Test
  void userGuideConfigReferenceListsEveryKeyOfTheSchema() throws IOException {
    GeneratedDocs.check("user-guide.md", "config-reference", ConfigReference.markdown());
  }

  @Test
  void operatorCoverageTableListsEveryBuiltInOpWithItsHooks() throws IOException {
    GeneratedDocs.check("operators.md", "operators", OpCoverage.markdown(OpTable.load()));
  }
}
