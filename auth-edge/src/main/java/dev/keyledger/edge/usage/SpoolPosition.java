package dev.keyledger.edge.usage;

/** A place in the spool as one long: segment number in the high 32 bits, record slot in the low 32. */
final class SpoolPosition {

    private SpoolPosition() {}

    static long of(long segment, int slot) {
        return (segment << 32) | (slot & 0xffffffffL);
    }

    static long segment(long position) {
        return position >>> 32;
    }

    static int slot(long position) {
        return (int) position;
    }

    static String format(long position) {
        return segment(position) + ":" + slot(position);
    }
}
