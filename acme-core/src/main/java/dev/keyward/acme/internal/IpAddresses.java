package dev.keyward.acme.internal;

import java.util.Locale;

/**
 * IP address literals for {@code ip} identifiers (RFC 8738): strict parsing of IPv4 dotted-quad
 * and IPv6 text (RFC 4291 section 2.2) into bytes, the canonical text (RFC 5952 for IPv6), and
 * the reverse-DNS name (RFC 8738 section 6). Never resolves a name: only literals are accepted.
 */
public final class IpAddresses {
    private IpAddresses() {
    }

    /**
     * Parses an IPv4 ({@code 192.0.2.1}: four decimal parts 0 to 255, no leading zeros) or IPv6
     * literal (with an optional embedded IPv4 tail; no zone, no brackets, no prefix length).
     *
     * @param text the literal
     * @return 4 or 16 bytes
     * @throws IllegalArgumentException if the text is not such a literal
     */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("IP address is empty");
        }
        byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        return bytes;
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    private static byte[] parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = groups(head, gap < 0);
        int[] tailGroups = gap >= 0 ? groups(tail, true) : new int[0];
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int count = headGroups.length + tailGroups.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (all[i] >>> 8);
            out[2 * i + 1] = (byte) all[i];
        }
        return out;
    }

    /** Colon-separated 16-bit groups; the last may be an IPv4 literal (two groups) if allowed. */
    private static int[] groups(String text, boolean ipv4TailAllowed) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int extra = 0;
        byte[] v4 = null;
        String last = parts[parts.length - 1];
        if (last.indexOf('.') >= 0) {
            if (!ipv4TailAllowed) {
                return null;
            }
            v4 = parseV4(last);
            if (v4 == null) {
                return null;
            }
            extra = 1;
        }
        int[] out = new int[parts.length + extra];
        int hexParts = v4 == null ? parts.length : parts.length - 1;
        for (int i = 0; i < hexParts; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), 16);
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            out[i] = value;
        }
        if (v4 != null) {
            out[hexParts] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
            out[hexParts + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        }
        return out;
    }

    /**
     * The canonical text: dotted-quad for IPv4; for IPv6 RFC 5952 (lower case, no leading zeros,
     * the longest run of two or more zero groups as {@code ::}, the first of equal runs), with the
     * IPv4-mapped form as {@code ::ffff:192.0.2.1} (section 5).
     *
     * @param address 4 or 16 bytes
     * @return the text
     */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        if (isIpv4Mapped(address)) {
            return "::ffff:" + format(new byte[] {address[12], address[13], address[14], address[15]});
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The reverse-DNS name of an address (RFC 1035 section 3.5, RFC 3596 section 2.5), which a
     * tls-alpn-01 validator sends as SNI for an {@code ip} identifier (RFC 8738 section 6):
     * {@code 1.0.0.127.in-addr.arpa} for 127.0.0.1, nibbles under {@code ip6.arpa} for IPv6. An
     * IPv4-mapped address ({@code ::ffff:127.0.0.1}) gets the name of its IPv4 address, as the
     * validators of Let's Encrypt and Pebble send it (Go's {@code dns.ReverseAddr}).
     *
     * @param address 4 or 16 bytes
     * @return the name, without a trailing dot
     */
    public static String reverseDnsName(byte[] address) {
        StringBuilder out = new StringBuilder();
        if (isIpv4Mapped(address)) {
            return reverseDnsName(java.util.Arrays.copyOfRange(address, 12, 16));
        }
        if (address.length == 4) {
            for (int i = 3; i >= 0; i--) {
                out.append(address[i] & 0xff).append('.');
            }
            return out.append("in-addr.arpa").toString();
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        for (int i = 15; i >= 0; i--) {
            out.append(Character.forDigit(address[i] & 0xf, 16)).append('.');
            out.append(Character.forDigit((address[i] >>> 4) & 0xf, 16)).append('.');
        }
        return out.append("ip6.arpa").toString();
    }

    private static boolean isIpv4Mapped(byte[] address) {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }
}
