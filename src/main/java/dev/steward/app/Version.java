package dev.steward.app;

/** Steward's version, from the jar's manifest ("dev" when run from the build tree). */
final class Version {
    private Version() {}

    static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
