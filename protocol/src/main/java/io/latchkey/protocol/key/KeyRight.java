package io.latchkey.protocol.key;

/** What a key credential lets its holder do at the car (docs/offline-keys.md §2). */
public enum KeyRight {
    UNLOCK,
    LOCK,
    /** Release the immobiliser, where the car's profile supports it. */
    START
}
