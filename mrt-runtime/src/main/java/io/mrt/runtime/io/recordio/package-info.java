/** MXNet's indexed RecordIO ({@code .rec} + {@code .idx}, the layout {@code im2rec} writes). */
package io.mrt.runtime.io.recordio;
