/** File formats: shared helpers here, one subpackage per format family ({@code mxnet}, {@code cvm}). */
package io.mrt.runtime.io;
