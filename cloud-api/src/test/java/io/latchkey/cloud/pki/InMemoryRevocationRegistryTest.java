package io.latchkey.cloud.pki;

class InMemoryRevocationRegistryTest extends RevocationRegistryContract {
    @Override
    RevocationRegistry registry() {
        return new InMemoryRevocationRegistry(CLOCK);
    }
}
