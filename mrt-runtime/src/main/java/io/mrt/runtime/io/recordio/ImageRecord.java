package io.mrt.runtime.io.recordio;

/**
 * One image record: MXNet's {@code IRHeader} (flag, label, id, id2) and the encoded image bytes.
 * When {@code flag > 0} the header is followed by {@code flag} float labels and the first of them
 * is the label; {@link #label()} is then that first value.
 *
 * @param id the record id (IRHeader.id)
 * @param label the label (IRHeader.label, or the first extra label when flag &gt; 0)
 * @param image the encoded image (JPEG or PNG bytes)
 */
public record ImageRecord(long id, float label, byte[] image) {}
