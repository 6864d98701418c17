package io.latchkey.cloud.secrets.keyvault;

import io.latchkey.cloud.secrets.SecretStoreException;
import java.nio.charset.StandardCharsets;

/**
 * How a secret of Latchkey ({@code scope}, {@code name}) is named in a Key Vault, whose names are 1-127 characters
 * of {@code [0-9a-zA-Z-]} and compared without regard to case: {@code encode(scope) + "--" + encode(name)}, where
 * {@code encode} keeps {@code [0-9a-z]} and writes every other byte of the UTF-8 form as {@code -xx} (lower-case
 * hex). An encoded part never holds {@code --} (a {@code -} is always followed by two hex digits), so the first
 * {@code --} separates scope and name and no two secrets share a vault name, whatever their case.
 * Example: tenant {@code acme}, secret {@code device-ca} is {@code acme--device-2dca}.
 */
public final class KeyVaultNames {
    public static final int MAX_LENGTH = 127;

    private KeyVaultNames() {
    }

    public static String of(String scope, String name) {
        if (scope == null || scope.isEmpty() || name == null || name.isEmpty()) {
            throw new SecretStoreException("a secret needs a scope and a name", null);
        }
        String encoded = encode(scope) + "--" + encode(name);
        if (encoded.length() > MAX_LENGTH) {
            throw new SecretStoreException("secret " + name + " of " + scope + " is named " + encoded.length()
                    + " characters long in the key vault; at most " + MAX_LENGTH, null);
        }
        return encoded;
    }

    static String encode(String part) {
        StringBuilder out = new StringBuilder(part.length());
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else {
                out.append('-').append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
        }
        return out.toString();
    }
}
