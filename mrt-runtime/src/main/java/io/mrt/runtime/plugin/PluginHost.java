package io.mrt.runtime.plugin;

import io.mrt.api.MrtApi;
import io.mrt.api.data.DatasetProvider;
import io.mrt.api.registry.HookType;
import io.mrt.api.registry.OpRegistry;
import io.mrt.runtime.InputLimits;
import io.mrt.runtime.MrtException;
import io.mrt.runtime.registry.DatasetSource;
import io.mrt.runtime.registry.OpSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.JarPluginManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the operator plugins of a directory with PF4J. In order, for every {@code *.jar} of the
 * directory (sorted by file name), it:
 *
 * <ol>
 *   <li>reads the jar's manifest (a corrupt jar, one without {@code Plugin-Id}, or one that bundles
 *       the host's own classes, fails);
 *   <li>checks {@code Plugin-Requires} against {@link MrtApi#VERSION} (a plugin built for another
 *       mrt-api fails before any of its classes is loaded);
 *   <li>loads the jar into its own PF4J class loader, and starts it if it names a
 *       {@code Plugin-Class};
 *   <li>finds the op registries that mrt-processor generated into the jar and the jar's
 *       {@link DatasetProvider}s, with {@link ServiceLoader} inside the plugin's class loader (those
 *       of the host's class path are skipped), and reads their descriptors and names; a jar must
 *       provide at least one of them.
 * </ol>
 *
 * <p>A jar that fails any step is reported as failed, with the reason, and logged as a warning
 * naming the jar; it never stops the other jars from loading.
 */
public final class PluginHost {
  /** The slf4j-simple setting of PF4J's log level. */
  public static final String PF4J_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.pf4j";
  static {
    // PF4J logs its own errors (with stack traces) for every bad jar; the host reports each failed
    // jar once, in its own words. --verbose (or an explicit setting) shows PF4J's log again.
    if (System.getProperty(PF4J_LOG_LEVEL) == null) {
      System.setProperty(PF4J_LOG_LEVEL, "off");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
  /** The largest manifest or service file read from a jar (real ones are a few hundred bytes). */
  static final int MAX_META_BYTES = 64 << 10;
  /** The most entries a plugin jar may hold. */
  static final int MAX_ENTRIES = 100_000;
  /** Packages the host provides: a plugin jar holding a copy of them would shadow the host's types. */
  private static final List<String> HOST_PACKAGES = List.of("io/mrt/api/", "io/mrt/annotations/");

  private PluginHost() {}

  /** Loads the plugins of {@code dir}; a missing default directory means no plugins. */
  public static LoadedPlugins load(PluginsDir dir) {
    return load(dir, Map.of());
  }

  /**
   * Loads the plugins of {@code dir}; {@code pinned} is the config's {@value PluginPins#CONFIG_KEY}
   * (jar name to SHA-256; empty: the directory's lock file, if any, pins the jars).
   */
  public static LoadedPlugins load(PluginsDir dir, Map<String, String> pinned) {
    if (!dir.exists()) {
      LOG.debug("no plugins directory at {}", dir);
      return LoadedPlugins.none(dir);
    }
    List<Path> jars = jars(dir);
    PluginPins pins = PluginPins.of(pinned, dir.path());
    MrtPluginManager manager = new MrtPluginManager(dir.path());
    List<PluginInfo> infos = new ArrayList<>();
    for (Path jar : jars) {
      PluginInfo info;
      try {
        info = loadOne(manager, jar, pins);
      } catch (MrtException e) {
        info = failed(jar, null, null, null, e.getMessage());
      } catch (RuntimeException | LinkageError e) {
        info = failed(jar, null, null, null, "cannot be loaded: " + InputLimits.abbreviate(describe(e)));
      }
      if (!info.loaded()) {
        LOG.warn("plugin jar {} is skipped: {}", jar.getFileName(), info.failure());
      } else {
        LOG.debug("plugin {} provides ops {} and data sets {}", info.label(), info.opKeys(), info.datasetNames());
      }
      infos.add(info);
    }
    return new LoadedPlugins(dir, infos, manager::unloadPlugins);
  }

  /** Loads the plugins of the directory {@code dir} (given explicitly). */
  public static LoadedPlugins load(Path dir) {
    return load(new PluginsDir(dir, "argument", true));
  }

  /** The jar names in a plugins directory (sorted), for {@code mrt plugins --lock}. */
  public static List<Path> jars(PluginsDir dir) {
    if (!dir.exists()) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir.path())) {
      return files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
          .filter(Files::isRegularFile)
          .sorted(Comparator.comparing(f -> f.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new MrtException("plugins directory " + dir + ": cannot list it: " + e.getMessage(), e);
    }
  }

  /**
   * Reads what the host needs from a jar before PF4J sees it, bounded: at most {@link #MAX_ENTRIES}
   * entries, and the manifest and every {@code META-INF/services} file read by the bytes actually
   * inflated, at most {@link #MAX_META_BYTES} each (a zip bomb stops at the limit).
   */
  private record JarFacts(Manifest manifest, String hostClass) {}

  private static JarFacts inspect(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      if (zip.size() > MAX_ENTRIES) {
        throw new MrtException("holds " + zip.size() + " entries, more than the limit of " + MAX_ENTRIES);
      }
      Manifest manifest = null;
      String hostClass = null;
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        String n = e.getName();
        if (hostClass == null && HOST_PACKAGES.stream().anyMatch(n::startsWith) && n.endsWith(".class")) {
          hostClass = n;
        }
        boolean isManifest = n.equalsIgnoreCase(JarFile.MANIFEST_NAME);
        if (isManifest || (n.startsWith("META-INF/services/") && !e.isDirectory())) {
          byte[] bytes;
          try (InputStream in = zip.getInputStream(e)) {
            bytes = InputLimits.readAll(in, MAX_META_BYTES, n);
          } catch (MrtException tooLarge) {
            throw new MrtException(n + " inflates to more than the limit of " + MAX_META_BYTES + " bytes");
          }
          if (isManifest) {
            manifest = new Manifest(new ByteArrayInputStream(bytes));
          }
        }
      }
      return new JarFacts(manifest, hostClass);
    }
  }

  private static PluginInfo loadOne(MrtPluginManager manager, Path jar, PluginPins pins) {
    if (pins.active()) {
      String refusal = pins.refusal(jar, PluginPins.sha256(jar));
      if (refusal != null) {
        return failed(jar, null, null, null, refusal);
      }
    }
    Manifest manifest;
    String hostClass;
    try {
      JarFacts facts = inspect(jar);
      manifest = facts.manifest();
      hostClass = facts.hostClass();
    } catch (MrtException e) {
      return failed(jar, null, null, null, "refused: " + e.getMessage());
    } catch (IOException | SecurityException | IllegalStateException | IllegalArgumentException e) {
      return failed(jar, null, null, null, "not a readable jar file (" + InputLimits.abbreviate(e.getMessage()) + ")");
    }
    Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
    String id = trimToNull(main.getValue(ManifestPluginDescriptorFinder.PLUGIN_ID));
    String version = trimToNull(main.getValue(ManifestPluginDescriptorFinder.PLUGIN_VERSION));
    String requires = trimToNull(main.getValue(ManifestPluginDescriptorFinder.PLUGIN_REQUIRES));
    if (id == null) {
      return failed(jar, null, version, requires, "not an MRT plugin: its manifest has no Plugin-Id "
          + "(a plugin jar declares Plugin-Id, Plugin-Version and Plugin-Requires; see docs/plugins.md)");
    }
    if (version == null) {
      return failed(jar, id, null, requires, "plugin " + id + " declares no Plugin-Version in its manifest");
    }
    if (requires == null) {
      return failed(jar, id, version, null, "plugin " + id + " declares no Plugin-Requires; it must name the "
          + "mrt-api versions it was built for, e.g. Plugin-Requires: ^" + MrtApi.VERSION);
    }
    if (hostClass != null) {
      return failed(jar, id, version, requires, "plugin " + id + " bundles classes of the host (" + hostClass
          + "); build it with mrt-api and mrt-annotations in provided scope (mrt-plugin-parent does)");
    }
    boolean compatible;
    try {
      compatible = manager.getVersionManager().checkVersionConstraint(MrtApi.VERSION, requires);
    } catch (RuntimeException e) {
      return failed(jar, id, version, requires, "plugin " + id + ": Plugin-Requires '" + requires
          + "' is not a version range (expected e.g. ^" + MrtApi.VERSION + "): " + e.getMessage());
    }
    if (!compatible) {
      return failed(jar, id, version, requires, "plugin " + id + " " + version + " was built for mrt-api "
          + requires + " (Plugin-Requires), but this mrt provides mrt-api " + MrtApi.VERSION
          + "; use a build of the plugin for mrt-api " + MrtApi.VERSION);
    }
    PluginWrapper other = manager.getPlugin(id);
    if (other != null) {
      return failed(jar, id, version, requires, "plugin id " + id + " is already used by "
          + other.getPluginPath().getFileName() + "; two jars cannot share a Plugin-Id (remove one of them)");
    }
    try {
      manager.loadPlugin(jar);
    } catch (RuntimeException e) {
      return failed(jar, id, version, requires, "PF4J could not load plugin " + id + ": " + e.getMessage());
    }
    PluginWrapper wrapper = manager.getPlugin(id);
    if (wrapper == null) {
      return failed(jar, id, version, requires, "PF4J could not load plugin " + id);
    }
    PluginDescriptor descriptor = wrapper.getDescriptor();
    if (descriptor.getPluginClass() != null && !descriptor.getPluginClass().isBlank()) {
      String missing = pluginClassProblem(descriptor.getPluginClass(), wrapper.getPluginClassLoader());
      if (missing != null) {
        return unload(manager, jar, id, version, requires, "plugin " + id + ": its Plugin-Class "
            + InputLimits.abbreviate(descriptor.getPluginClass()) + " " + missing);
      }
      try {
        manager.startPlugin(id);
      } catch (RuntimeException | LinkageError e) {
        return unload(manager, jar, id, version, requires,
            "plugin " + id + ": its Plugin-Class " + descriptor.getPluginClass() + " failed to start: " + describe(e));
      }
      if (wrapper.getPluginState().isFailed()) {
        return unload(manager, jar, id, version, requires, "plugin " + id + ": its Plugin-Class "
            + descriptor.getPluginClass() + " failed to start: " + describe(wrapper.getFailedException()));
      }
    }
    ClassLoader loader = wrapper.getPluginClassLoader();
    List<OpSource> sources = new ArrayList<>();
    try {
      for (ServiceLoader.Provider<OpRegistry> p : ServiceLoader.load(OpRegistry.class, loader).stream().toList()) {
        if (p.type().getClassLoader() != loader) {
          continue; // a registry of the host's class path, seen through the plugin's parent loader
        }
        OpRegistry registry = p.get();
        touch(registry);
        sources.add(new OpSource(registry, jar.getFileName().toString(), id));
      }
    } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
      return unload(manager, jar, id, version, requires,
          "plugin " + id + ": its op registry could not be loaded: " + describe(e));
    }
    List<DatasetSource> datasets = new ArrayList<>();
    try {
      for (ServiceLoader.Provider<DatasetProvider> p : ServiceLoader.load(DatasetProvider.class, loader).stream()
          .toList()) {
        if (p.type().getClassLoader() != loader) {
          continue; // a built-in data set of the host's class path
        }
        DatasetProvider provider = p.get();
        provider.name();
        provider.aliases();
        datasets.add(new DatasetSource(provider, jar.getFileName().toString(), id));
      }
    } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
      return unload(manager, jar, id, version, requires,
          "plugin " + id + ": its dataset provider could not be loaded: " + describe(e));
    }
    if (sources.isEmpty() && datasets.isEmpty()) {
      return unload(manager, jar, id, version, requires, "plugin " + id + " holds no op registry (no "
          + "META-INF/services/" + OpRegistry.class.getName() + ") and no dataset provider (no META-INF/services/"
          + DatasetProvider.class.getName() + "); compile its @MrtOp classes with mrt-processor on the "
          + "annotation processor path");
    }
    sources.sort(Comparator.comparing(s -> s.registry().name()));
    return new PluginInfo(jar, id, version, requires, null, sources, datasets);
  }

  /** Why the Plugin-Class cannot be started, or {@code null}; checked before PF4J instantiates it. */
  private static String pluginClassProblem(String name, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return "is not in the jar (" + InputLimits.abbreviate(e.getClass().getSimpleName()) + ")";
    }
    if (!org.pf4j.Plugin.class.isAssignableFrom(c)) {
      return "does not extend org.pf4j.Plugin";
    }
    return null;
  }

  /** Calls everything the op table will call at merge time, so that a broken registry fails here. */
  private static void touch(OpRegistry r) {
    r.name();
    r.ops().forEach(d -> d.key());
    for (HookType<?> type : HookType.values()) {
      r.hooks(type);
    }
  }

  private static PluginInfo unload(MrtPluginManager manager, Path jar, String id, String version, String requires,
      String reason) {
    try {
      manager.unloadPlugin(id);
    } catch (RuntimeException e) {
      LOG.debug("could not unload plugin {}", id, e);
    }
    return failed(jar, id, version, requires, reason);
  }

  private static PluginInfo failed(Path jar, String id, String version, String requires, String reason) {
    return new PluginInfo(jar, id, version, requires, reason, List.of(), List.of());
  }

  private static String describe(Throwable e) {
    if (e == null) {
      return "unknown reason";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String s = e.toString();
    return root == e ? s : s + " (caused by " + root + ")";
  }

  private static String trimToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** PF4J's jar plugin manager, rooted at the plugins directory and versioned as mrt-api. */
  static final class MrtPluginManager extends JarPluginManager {
    MrtPluginManager(Path root) {
      super(root);
      setSystemVersion(MrtApi.VERSION);
      setExactVersionAllowed(true);
    }
  }
}
