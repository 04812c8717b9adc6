package io.mrt.runtime.cli;

import io.mrt.api.registry.Hook;
import io.mrt.runtime.registry.OpTable;
import io.mrt.runtime.registry.ResolvedOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mrt ops}: one row per registered op: name, source jar, hooks present. */
@Command(name = "ops", description = "List the registered operators, their source jar and hooks.")
final class OpsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    OpTable table = OpTable.load();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"OP", "SOURCE", "HOOKS", "CVM OPS"});
    for (ResolvedOp op : table.ops()) {
      List<String> hooks = new ArrayList<>();
      for (Hook h : Hook.values()) {
        if (op.descriptor().has(h)) {
          hooks.add(camel(h));
        }
      }
      rows.add(new String[] {
          op.key(), op.source().label(), String.join(",", hooks), String.join(",", op.descriptor().emits())});
    }
    Table.print(spec.commandLine().getOut(), rows);
    return 0;
  }

  static String camel(Hook h) {
    String[] parts = h.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder b = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return b.toString();
  }
}
