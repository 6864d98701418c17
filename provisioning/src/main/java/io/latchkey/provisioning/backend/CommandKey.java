package io.latchkey.provisioning.backend;

/** A tenant command-verification key: {@code publicKey} is base64 X.509 SubjectPublicKeyInfo (Ed25519). */
public record CommandKey(String kid, String alg, String publicKey) {
}
