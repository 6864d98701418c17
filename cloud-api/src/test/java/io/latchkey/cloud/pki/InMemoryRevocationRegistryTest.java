package io.latchkey.cloud.pki;

class InMemoryRevocationRegistryTest extends RevocationRegistryContract {
    @Override
    protected RevocationRegistry registry() {
        return new InMemoryRevocationRegistry(CLOCK);
    }
}
