package io.mrt.runtime.registry;

import io.mrt.annotations.text.Spelling;
import io.mrt.api.data.DatasetProvider;
import io.mrt.runtime.MrtException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The data sets a run can read (CALIBRATE.DATASET_NAME): every {@link DatasetProvider} of the class
 * path (the built-ins) and of the loaded plugins, by name and alias. Names are compared in lower
 * case with {@code -} read as {@code _}. Two providers of one name are an error naming both; an
 * unknown name is an error listing the known names, with the closest one suggested.
 */
public final class DatasetCatalog {
  private static volatile DatasetCatalog classPath;
  private final Map<String, DatasetSource> byName;
  private final List<String> names;

  private DatasetCatalog(Map<String, DatasetSource> byName, List<String> names) {
    this.byName = byName;
    this.names = names;
  }

  /** A name as the catalog compares it: trimmed, lower case, {@code -} as {@code _}. */
  public static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
  }

  /** The providers found by {@link ServiceLoader} on the class path, in the order of their service files. */
  public static List<DatasetSource> classPathSources() {
    List<DatasetSource> sources = new ArrayList<>();
    try {
      for (DatasetProvider p : ServiceLoader.load(DatasetProvider.class, DatasetCatalog.class.getClassLoader())) {
        sources.add(DatasetSource.ofClassPath(p));
      }
    } catch (ServiceConfigurationError e) {
      throw new MrtException("a dataset provider on the class path cannot be loaded: " + e.getMessage(), e);
    }
    return sources;
  }

  /** The catalog of the class path's providers (read once). */
  public static DatasetCatalog classPath() {
    DatasetCatalog c = classPath;
    if (c == null) {
      c = merge(classPathSources());
      classPath = c;
    }
    return c;
  }

  /**
   * The catalog of the given sources. A name (or alias) claimed by two providers is an error, one
   * line per clash: {@code data set NAME is provided by both A and B; remove one of them}.
   */
  public static DatasetCatalog merge(List<DatasetSource> sources) {
    Map<String, DatasetSource> byName = new TreeMap<>();
    List<String> clashes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (DatasetSource s : sources) {
      String name = checkedName(s, s.provider().name());
      List<String> claims = new ArrayList<>(List.of(name));
      for (String alias : s.provider().aliases()) {
        String a = checkedName(s, alias);
        if (!claims.contains(a)) {
          claims.add(a);
        }
      }
      for (String claim : claims) {
        DatasetSource prev = byName.putIfAbsent(claim, s);
        if (prev != null) {
          clashes.add("data set " + claim + " is provided by both " + prev.label() + " and " + s.label()
              + "; remove one of them");
        }
      }
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    if (!clashes.isEmpty()) {
      throw new MrtException(String.join("\n", clashes));
    }
    return new DatasetCatalog(Collections.unmodifiableMap(byName), List.copyOf(names));
  }

  private static String checkedName(DatasetSource s, String name) {
    if (name == null || name.isBlank()) {
      throw new MrtException(s.label() + ": a dataset provider must have a non-empty name");
    }
    return key(name);
  }

  /** The providers' names (aliases left out), in the order of the sources. */
  public List<String> names() {
    return names;
  }

  /** Every source, one per provider, in the order of the sources. */
  public List<DatasetSource> sources() {
    return names.stream().map(byName::get).toList();
  }

  /**
   * The provider of {@code name}, else an error: {@code CALIBRATE.DATASET_NAME: unknown data set
   * 'X'; known: a, b, c (did you mean 'b'?)}.
   */
  public DatasetSource find(String name) {
    DatasetSource s = byName.get(key(name));
    if (s != null) {
      return s;
    }
    String suggestion = closest(key(name), byName.keySet());
    throw new MrtException("CALIBRATE.DATASET_NAME: unknown data set '" + name + "'; known: "
        + String.join(", ", names) + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
  }

  /**
   * The known name nearest to {@code name} by edit distance (insertions, deletions, substitutions),
   * if at most 2 or a third of the name's length (whichever is larger); the first in sorted order
   * on a tie; {@code null} if none is that near.
   */
  static String closest(String name, Iterable<String> known) {
    return Spelling.closest(name, known, Math.max(2, name.length() / 3));
  }
}
