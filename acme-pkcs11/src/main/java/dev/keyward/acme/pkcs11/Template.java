package dev.keyward.acme.pkcs11;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An array of {@code CK_ATTRIBUTE} ({@code type}, {@code pValue}, {@code ulValueLen}) in native
 * memory, for {@code C_FindObjectsInit}, {@code C_GetAttributeValue} and {@code C_GenerateKeyPair}.
 * The values' memory is held here, so it lives as long as the template.
 */
final class Template {
    /** Offsets in {@code CK_ATTRIBUTE} and {@code CK_MECHANISM}, which have the same shape. */
    static final class Layout {
        final long pointerOffset;
        final long lengthOffset;
        final long size;

        Layout(long pointerOffset, long lengthOffset, long size) {
            this.pointerOffset = pointerOffset;
            this.lengthOffset = lengthOffset;
            this.size = size;
        }
    }

    /** Windows packs PKCS#11 structures to 1 byte; elsewhere they have their natural alignment. */
    static final Layout LAYOUT = layout();

    private final List<Long> types = new ArrayList<>();
    private final List<Memory> values = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private Memory array;

    Template add(long type, byte[] value) {
        types.add(type);
        if (value == null) {
            values.add(null);
            lengths.add(0);
        } else {
            Memory memory = new Memory(Math.max(1, value.length));
            memory.write(0, value, 0, value.length);
            values.add(memory);
            lengths.add(value.length);
        }
        array = null;
        return this;
    }

    Template add(long type, boolean value) {
        return add(type, new byte[] {(byte) (value ? 1 : 0)});
    }

    Template add(long type, long ulong) {
        Memory memory = new Memory(NativeLong.SIZE);
        memory.setNativeLong(0, new NativeLong(ulong));
        return add(type, memory.getByteArray(0, NativeLong.SIZE));
    }

    Template add(long type, String utf8) {
        return add(type, utf8.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return types.size();
    }

    /** The native array, written on first use after a change. */
    Pointer pointer() {
        if (types.isEmpty()) {
            return Pointer.NULL;
        }
        if (array == null) {
            array = new Memory(LAYOUT.size * types.size());
            array.clear();
            for (int i = 0; i < types.size(); i++) {
                long base = LAYOUT.size * i;
                putUlong(array, base, types.get(i));
                array.setPointer(base + LAYOUT.pointerOffset, values.get(i));
                putUlong(array, base + LAYOUT.lengthOffset, lengths.get(i));
            }
        }
        return array;
    }

    /** {@code ulValueLen} of entry {@code index} as the module left it. */
    long length(int index) {
        long value = getUlong(array, LAYOUT.size * index + LAYOUT.lengthOffset);
        return NativeLong.SIZE == 4 ? (value == 0xFFFFFFFFL ? -1 : value) : value;
    }

    /** The value of entry {@code index} as the module wrote it. */
    byte[] value(int index) {
        Memory memory = values.get(index);
        long length = length(index);
        return memory == null || length <= 0 ? new byte[0] : memory.getByteArray(0, (int) length);
    }

    static void putUlong(Memory memory, long offset, long value) {
        memory.setNativeLong(offset, new NativeLong(value));
    }

    static long getUlong(Pointer memory, long offset) {
        long value = memory.getNativeLong(offset).longValue();
        return NativeLong.SIZE == 4 ? value & 0xFFFFFFFFL : value;
    }

    private static Layout layout() {
        long ulong = NativeLong.SIZE;
        long pointer = Native.POINTER_SIZE;
        if (Platform.isWindows()) {
            return new Layout(ulong, ulong + pointer, ulong + pointer + ulong);
        }
        long pointerOffset = align(ulong, pointer);
        long lengthOffset = align(pointerOffset + pointer, ulong);
        return new Layout(pointerOffset, lengthOffset, align(lengthOffset + ulong, Math.max(ulong, pointer)));
    }

    private static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
