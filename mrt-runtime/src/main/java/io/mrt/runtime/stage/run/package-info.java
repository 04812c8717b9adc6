/**
 * Runs the stages a config asks for (MRT V3's {@code execute.run}) and maps the config onto the
 * stages' options. Above every stage package, so the stages never depend on it.
 */
package io.mrt.runtime.stage.run;
