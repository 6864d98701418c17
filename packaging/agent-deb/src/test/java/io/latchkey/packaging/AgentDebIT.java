package io.latchkey.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb the build made: its control data and contents as {@code dpkg-deb} reads them, and, where this
 * runs as root with dpkg, a real install into a throwaway root ({@code dpkg --root --force-script-chrootless},
 * so the maintainer scripts run and honour {@code DPKG_ROOT}), then a remove and a purge.
 */
class AgentDebIT {
    static Path deb;

    @BeforeAll
    static void findPackage() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            // the newest: a snapshot's name carries its build time, and an earlier build's package may still be there
            deb = files.filter(p -> p.getFileName().toString().matches("latchkey-agent_.*_all\\.deb"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("no latchkey-agent_*_all.deb in target/ (the package phase makes it)"));
        }
    }

    @Test
    void control_namesThePackage_itsJavaDependency_andItsMaintainerScripts() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed: package not inspected");
        String info = run("dpkg-deb", "--info", deb.toString()).out();

        assertThat(info).contains("Package: latchkey-agent", "Architecture: all", "openjdk-17-jre-headless", "postinst", "prerm", "postrm");
        // a snapshot build is 0.1.0~{timestamp}: it sorts before the 0.1.0 release
        assertThat(info).containsPattern("Version: 0\\.1\\.0(~\\d{14})?\\n");
    }

    @Test
    void contents_areTheJar_itsLibraries_theUnit_andTheConfigFolder() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed: package not inspected");
        String contents = run("dpkg-deb", "--contents", deb.toString()).out();

        assertThat(contents).contains("./opt/latchkey/device-agent.jar", "./opt/latchkey/lib/org.eclipse.paho.mqttv5.client-",
                "./opt/latchkey/lib/protocol-", "./opt/latchkey/lib/hal-", "./lib/systemd/system/latchkey-agent.service",
                "./usr/share/doc/latchkey-agent/agent.properties.example", "./opt/latchkey/bin/latchkey-agent-launch");
        assertThat(contents).containsPattern("-rwxr-xr-x root/root .* ./opt/latchkey/bin/latchkey-agent-launch");
        assertThat(contents).containsPattern("drwxr-x--- root/root .* ./etc/latchkey/");
        // the agent sets the car's hardware clock (hardware.rtc=linux): the rtc devices are its group's to write
        assertThat(contents).containsPattern("-rw-r--r-- root/root .* ./lib/udev/rules.d/60-latchkey-rtc.rules");
        assertThat(contents).doesNotContain("junit", "assertj", "pi4j-plugin-mock");
        // only the MQTT client the agent uses by default (mqtt.client=paho): not the HiveMQ client and its Netty and RxJava
        assertThat(contents).doesNotContain("hivemq", "netty", "rxjava", "reactive-streams", "jctools", "dagger");
    }

    @Test
    void theInstalledAgent_refusesTheMqttClientThePackageDoesNotCarry_atStartUp(@TempDir Path root) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed: package not inspected");
        run("dpkg-deb", "-x", deb.toString(), root.toString());
        String key = java.util.Base64.getEncoder().encodeToString(
                java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        Path config = root.resolve("agent.properties");
        Files.writeString(config, String.join("\n", "tenant=acme", "device.id=dev-001", "mqtt.url=tcp://127.0.0.1:1",
                "command.keys.cmd-1=" + key, "data.dir=" + root.resolve("data"), "mqtt.client=hivemq", ""));
        Path opt = root.resolve("opt/latchkey");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Result r = run(java, "-cp", opt.resolve("device-agent.jar") + ":" + opt.resolve("lib") + "/*",
                "io.latchkey.agent.AgentMain", "run", "--simulated", "--config", config.toString());

        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.out()).contains("bad configuration: mqtt.client=hivemq:", "is not installed here");
    }

    @Test
    void selftest_shipsBesideTheAgent_andStartsFromTheInstalledTree(@TempDir Path root) throws Exception {
        assumeTrue(onPath("dpkg-deb") && onPath("sh"), "dpkg-deb/sh not installed: self-test launcher not tried");
        run("dpkg-deb", "-x", deb.toString(), root.toString());
        Path launcher = root.resolve("usr/bin/latchkey-selftest");
        assertThat(launcher).isRegularFile().content().contains("io.latchkey.provisioning.ProvisioningMain selftest",
                "${LATCHKEY_HOME:-/opt/latchkey}", "$LATCHKEY_HOME/provisioning.jar");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher))).isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("opt/latchkey/provisioning.jar")).isRegularFile();
        try (Stream<Path> agentLibs = Files.list(root.resolve("opt/latchkey/lib"))) {
            assertThat(agentLibs.map(p -> p.getFileName().toString()))
                    .as("the agent's classpath carries nothing only the self-test needs").noneMatch(n -> n.startsWith("okhttp"));
        }

        // The launcher as installed, pointed at the extracted tree and this build's JRE instead of /opt and /usr/bin/java.
        ProcessBuilder help = new ProcessBuilder("sh", launcher.toString(), "--help").redirectErrorStream(true);
        help.environment().put("LATCHKEY_HOME", root.resolve("opt/latchkey").toString());
        help.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = help.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).contains("Usage: latchkey provision selftest", "--bundle");
    }

    /** The flags docs/benchmarks-agent.md chose ("Memory and start-up, setting by setting"), each for a measured reason. */
    @Test
    void unit_runsTheMeasuredJvmFlags_andThePostinstMakesTheArchiveItNames(@TempDir Path root) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed: package not inspected");
        run("dpkg-deb", "-x", deb.toString(), root.toString());
        Path unit = root.resolve("lib/systemd/system/latchkey-agent.service");

        assertThat(javaOpts(unit).split(" ")).containsExactlyInAnyOrder("-Xms8m", "-Xmn2m", "-Xmx48m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=5", "-Xss256k", "-XX:MaxMetaspaceSize=64m",
                "-XX:SharedArchiveFile=/var/lib/latchkey/agent.jsa", "-Xshare:auto", "-XX:+ExitOnOutOfMemoryError");
        assertThat(Files.readAllLines(unit)).contains("Environment=MALLOC_ARENA_MAX=2");
        // logging is set up in code (cli.AgentLogging) unless an installer names a logback file
        assertThat(root.resolve("opt/latchkey/bin/latchkey-agent-launch")).content()
                .doesNotContain("-Dlogback.configurationFile=latchkey-agent-logback.xml");
        Path cds = root.resolve("opt/latchkey/bin/latchkey-agent-cds");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cds))).isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("opt/latchkey/latchkey-agent.classlist")).content()
                .contains("io/latchkey/agent/Agent\n", "org/eclipse/paho/mqttv5/client/MqttAsyncClient\n")
                .doesNotContain("io/latchkey/agent/bench/", "com/hivemq/");
        String info = run("dpkg-deb", "--info", deb.toString()).out();
        assertThat(info).contains("triggers");
        Path control = root.resolve("DEBIAN");
        run("dpkg-deb", "-e", deb.toString(), control.toString());
        assertThat(control.resolve("triggers")).content().contains("interest-noawait /usr/lib/jvm");
        String postinst = Files.readString(control.resolve("postinst"));
        assertThat(postinst.indexOf("/opt/latchkey/bin/latchkey-agent-cds \"$DATA_DIR/agent.jsa\""))
                .as("configure makes the archive").isPositive();
        assertThat(postinst.substring(postinst.indexOf("triggered)"))).as("so does a JDK upgrade")
                .contains("/opt/latchkey/bin/latchkey-agent-cds \"$DATA_DIR/agent.jsa\"");
    }

    /**
     * The archive as the postinst makes it, from the installed tree and the shipped class list, is one the JVM maps with the
     * unit's flags (-Xshare:on fails where :auto would quietly go without), and the agent's classes come from it.
     */
    @Test
    void theArchiveMadeFromTheShippedClassList_isWhatTheAgentLoadsItsClassesFrom(@TempDir Path root, @TempDir Path work) throws Exception {
        assumeTrue(onPath("dpkg-deb") && onPath("sh"), "dpkg-deb/sh not installed: archive not tried");
        run("dpkg-deb", "-x", deb.toString(), root.toString());
        Path opt = root.resolve("opt/latchkey");
        Path archive = work.resolve("agent.jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder dump = new ProcessBuilder("sh", opt.resolve("bin/latchkey-agent-cds").toString(), archive.toString())
                .redirectErrorStream(true);
        dump.environment().put("LATCHKEY_HOME", opt.toString());
        dump.environment().put("JAVA", java);
        Process p = dump.start();
        String dumpOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(archive).as(dumpOut).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-r--r--");

        List<String> command = new ArrayList<>(List.of(java));
        for (String flag : javaOpts(root.resolve("lib/systemd/system/latchkey-agent.service")).split(" ")) {
            command.add(flag.equals("-Xshare:auto") ? "-Xshare:on"
                    : flag.startsWith("-XX:SharedArchiveFile=") ? "-XX:SharedArchiveFile=" + archive : flag);
        }
        command.addAll(List.of("-Xlog:class+load=info", "-cp", opt.resolve("device-agent.jar") + ":" + opt.resolve("lib") + "/*",
                "io.latchkey.agent.AgentMain", "--version"));
        Result r = run(command.toArray(String[]::new));

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("latchkey-agent 0.1.0", "io.latchkey.agent.AgentMain source: shared objects file",
                "picocli.CommandLine source: shared objects file");
    }

    @Test
    void bouncyCastle_shipsUnsigned_withoutPerEntryDigests_butMultiRelease(@TempDir Path root) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed: package not inspected");
        run("dpkg-deb", "-x", deb.toString(), root.toString());
        Path lib = root.resolve("opt/latchkey/lib");
        Path bc;
        try (Stream<Path> jars = Files.list(lib)) {
            bc = jars.filter(p -> p.getFileName().toString().startsWith("bcprov-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no bcprov jar in " + lib));
        }

        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(bc.toFile())) {
            assertThat(jar.stream().map(java.util.jar.JarEntry::getName))
                    .noneMatch(n -> n.startsWith("META-INF/") && n.matches(".*\\.(SF|RSA|DSA|EC)"))
                    .contains("org/bouncycastle/crypto/signers/Ed25519Signer.class");
            assertThat(jar.getManifest().getEntries()).isEmpty();
            assertThat(jar.isMultiRelease()).isTrue();
        }
    }

    /**
     * docs/ota.md §8: the unit has systemd's watchdog (the agent pings through systemd-notify, a child of the JVM, hence
     * NotifyAccess=all), stays Type=simple (an offline car at boot counts as started), kills a hung JVM outright, and
     * counts a watchdog kill of a release on trial through the launcher's --stopped; systemd itself accepts the unit
     * (every key known and in its section), with the launcher's paths pointed at the extracted package.
     */
    @Test
    void theUnit_hasSystemdsWatchdog_andSystemdAcceptsIt(@TempDir Path root) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed: package not inspected");
        run("dpkg-deb", "-x", deb.toString(), root.toString());
        Path unit = root.resolve("lib/systemd/system/latchkey-agent.service");
        List<String> lines = Files.readAllLines(unit).stream().map(String::strip).filter(l -> !l.startsWith("#")).toList();
        assertThat(lines).contains("Type=simple", "WatchdogSec=120", "WatchdogSignal=SIGKILL", "NotifyAccess=all", "Restart=always",
                "ExecStart=/opt/latchkey/bin/latchkey-agent-launch", "ExecStopPost=/opt/latchkey/bin/latchkey-agent-launch --stopped");
        assertThat(lines.indexOf("StartLimitIntervalSec=300")).as("start limits belong to [Unit]")
                .isGreaterThan(lines.indexOf("[Unit]")).isLessThan(lines.indexOf("[Service]"));
        assertThat(lines).as("the sandbox lets systemd-notify reach the notify socket").anyMatch(l -> l.startsWith("RestrictAddressFamilies=")
                && l.contains("AF_UNIX"));
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed: unit not verified by systemd");
        Path copy = root.resolve("latchkey-agent.service");
        Files.writeString(copy, Files.readString(unit).replace("/opt/latchkey/", root.resolve("opt/latchkey") + "/"));
        Result verify = run("systemd-analyze", "verify", copy.toString());
        assertThat(verify.code()).as(verify.out()).isZero();
        assertThat(verify.out()).doesNotContain("Unknown", "ignoring", "Invalid", "Failed");
    }

    @Test
    void installsIntoAThrowawayRoot_withItsUser_thenRemovesAndPurgesCleanly(@TempDir Path root) throws Exception {
        assumeTrue(onPath("dpkg") && onPath("useradd"), "dpkg/useradd not installed: install test skipped");
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: a real dpkg install is not tried");
        for (String dir : List.of("etc", "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "usr/sbin")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ndialout:x:20:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\ndialout:*::\n");
        Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(root.resolve("etc/gshadow"), PosixFilePermissions.fromString("rw-------"));

        Result install = run("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends", "--log=/dev/null", "-i", deb.toString());
        assertThat(install.code()).as(install.out()).isZero();

        assertThat(root.resolve("opt/latchkey/device-agent.jar")).isRegularFile();
        assertThat(root.resolve("lib/systemd/system/latchkey-agent.service")).content().contains("User=latchkey");
        String passwd = Files.readString(root.resolve("etc/passwd"));
        assertThat(passwd).containsPattern("(?m)^latchkey:x:\\d+:\\d+:Latchkey device agent:/var/lib/latchkey:/usr/sbin/nologin$");
        assertThat(Files.readString(root.resolve("etc/group"))).containsPattern("(?m)^dialout:x:20:latchkey$");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/latchkey")))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/latchkey")))).isEqualTo("rwxr-x---");
        assertThat(root.resolve("var/lib/latchkey/ota/slots")).as("a fresh install has the update slots").isDirectory();
        assertThat(root.resolve("opt/latchkey/bin/latchkey-agent-launch")).isRegularFile();

        Files.writeString(root.resolve("etc/latchkey/agent.properties"), "tenant=acme\n");
        Result remove = run("dpkg", "--root=" + root, "--force-script-chrootless", "--log=/dev/null", "--remove", "latchkey-agent");
        assertThat(remove.code()).as(remove.out()).isZero();
        assertThat(root.resolve("opt/latchkey/device-agent.jar")).doesNotExist();
        assertThat(root.resolve("etc/latchkey/agent.properties")).as("remove keeps the device identity").exists();
        assertThat(Files.readString(root.resolve("etc/passwd"))).contains("latchkey:");

        Result purge = run("dpkg", "--root=" + root, "--force-script-chrootless", "--log=/dev/null", "--purge", "latchkey-agent");
        assertThat(purge.code()).as(purge.out()).isZero();
        assertThat(root.resolve("etc/latchkey")).doesNotExist();
        assertThat(root.resolve("var/lib/latchkey")).doesNotExist();
        assertThat(Files.readString(root.resolve("etc/passwd"))).doesNotContain("latchkey:");
        assertThat(root.resolve("opt/latchkey")).doesNotExist();
    }

    /**
     * docs/ota.md §7: the previous release's package (this one repacked as 0.0.9 in the shape before updates: no launcher,
     * java started by the unit, no slots) installed, then this one over it: the launcher, the unit starting it, the slots
     * owned by the agent, the device's configuration kept. Then an update made active, and the package installed again:
     * the package's release is the one the launcher starts.
     */
    @Test
    void updatesThePreviousRelease_setsUpTheSlots_andAPackageInstalledOverAnUpdateRunsItsOwnRelease(@TempDir Path root, @TempDir Path work)
            throws Exception {
        assumeTrue(onPath("dpkg") && onPath("useradd"), "dpkg/useradd not installed: install test skipped");
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: a real dpkg install is not tried");
        throwawayRoot(root);
        Path previous = previousRelease(work);
        Result first = run("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends", "--log=/dev/null", "-i", previous.toString());
        assertThat(first.code()).as(first.out()).isZero();
        assertThat(root.resolve("opt/latchkey/bin/latchkey-agent-launch")).doesNotExist();
        assertThat(root.resolve("var/lib/latchkey/ota")).doesNotExist();
        Files.writeString(root.resolve("etc/latchkey/agent.properties"), "tenant=acme\n");

        Result upgrade = run("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends", "--log=/dev/null", "-i", deb.toString());
        assertThat(upgrade.code()).as(upgrade.out()).isZero();
        Path launcher = root.resolve("opt/latchkey/bin/latchkey-agent-launch");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher))).isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("lib/systemd/system/latchkey-agent.service")).content()
                .contains("ExecStart=/opt/latchkey/bin/latchkey-agent-launch").doesNotContain("ExecStart=/bin/sh");
        Path slots = root.resolve("var/lib/latchkey/ota/slots");
        assertThat(slots).isDirectory();
        String uid = Files.readString(root.resolve("etc/passwd")).lines().filter(l -> l.startsWith("latchkey:")).findFirst().orElseThrow()
                .split(":")[2];
        assertThat(Files.getAttribute(slots, "unix:uid").toString()).isEqualTo(uid);
        assertThat(Files.getAttribute(slots.getParent(), "unix:uid").toString()).isEqualTo(uid);
        assertThat(root.resolve("etc/latchkey/agent.properties")).hasContent("tenant=acme");
        assertThat(launchFrom(root, launcher, work)).startsWith("factory " + root.resolve("opt/latchkey").toRealPath())
                .contains("-XX:SharedArchiveFile=/var/lib/latchkey/agent.jsa", "io.latchkey.agent.AgentMain run")
                .doesNotContain("logback.configurationFile");

        // an update made active (as the agent leaves it after a release marked itself good)
        Path ota = root.resolve("var/lib/latchkey/ota");
        Files.createDirectories(slots.resolve("a/lib"));
        Files.writeString(slots.resolve("a/device-agent.jar"), "agent 0.9.0");
        Files.createSymbolicLink(ota.resolve("current"), Path.of("slots/a"));
        assertThat(launchFrom(root, launcher, work)).startsWith("current " + slots.resolve("a").toRealPath())
                // the class-data archive is for the package's own jars: another release runs without it, with the other flags
                .contains("-Xmn2m", "-Xshare:auto").doesNotContain("SharedArchiveFile");

        Result again = run("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends", "--log=/dev/null", "-i", deb.toString());
        assertThat(again.code()).as(again.out()).isZero();
        assertThat(ota.resolve("current")).doesNotExist();
        assertThat(launchFrom(root, launcher, work)).startsWith("factory " + root.resolve("opt/latchkey").toRealPath());
    }

    /** This package as the release before updates: version 0.0.9, no launcher, the unit running java itself, no slots. */
    private static Path previousRelease(Path work) throws Exception {
        Path tree = work.resolve("prev");
        Result raw = run("dpkg-deb", "-R", deb.toString(), tree.toString());
        assertThat(raw.code()).as(raw.out()).isZero();
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceAll("(?m)^Version: .*$", "Version: 0.0.9"));
        Path postinst = tree.resolve("DEBIAN/postinst");
        Files.writeString(postinst, Files.readString(postinst).replaceAll("(?s)    # Over-the-air updates.*?\n    fi\n", ""));
        Path unit = tree.resolve("lib/systemd/system/latchkey-agent.service");
        Files.writeString(unit, Files.readString(unit).replace("ExecStart=/opt/latchkey/bin/latchkey-agent-launch",
                "ExecStart=/bin/sh -c 'exec /usr/bin/java $JAVA_OPTS -cp \"/opt/latchkey/device-agent.jar:/opt/latchkey/lib/*\" "
                        + "io.latchkey.agent.AgentMain run --config /etc/latchkey/agent.properties'"));
        Files.delete(tree.resolve("opt/latchkey/bin/latchkey-agent-launch"));
        Files.delete(tree.resolve("opt/latchkey/bin/latchkey-agent-cds"));
        Files.delete(tree.resolve("opt/latchkey/bin"));
        assertThat(Files.readString(postinst)).doesNotContain("ota");
        Path out = work.resolve("latchkey-agent_0.0.9_all.deb");
        Result build = run("dpkg-deb", "--root-owner-group", "-b", tree.toString(), out.toString());
        assertThat(build.code()).as(build.out()).isZero();
        return out;
    }

    /** The installed launcher run as the unit would, on the throwaway root, with a java that says what it was asked to start. */
    private static String launchFrom(Path root, Path launcher, Path work) throws Exception {
        Path java = work.resolve("java");
        Path log = work.resolve("java.log");
        Files.writeString(java, "#!/bin/sh\necho \"$LATCHKEY_SLOT $LATCHKEY_SLOT_DIR $*\" > \"$FAKE_LOG\"\n");
        java.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("sh", launcher.toString()).redirectErrorStream(true);
        pb.environment().put("LATCHKEY_OTA_DIR", root.resolve("var/lib/latchkey/ota").toString());
        pb.environment().put("LATCHKEY_HOME", root.resolve("opt/latchkey").toString());
        pb.environment().put("JAVA", java.toString());
        pb.environment().put("FAKE_LOG", log.toString());
        pb.environment().put("JAVA_OPTS", javaOpts(root.resolve("lib/systemd/system/latchkey-agent.service")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Files.readString(log).strip();
    }

    /** What the unit sets JAVA_OPTS to. */
    private static String javaOpts(Path unit) throws IOException {
        return Files.readAllLines(unit).stream().filter(l -> l.startsWith("Environment=\"JAVA_OPTS=")).findFirst()
                .map(l -> l.substring("Environment=\"JAVA_OPTS=".length(), l.length() - 1))
                .orElseThrow(() -> new AssertionError("no JAVA_OPTS in " + unit));
    }

    private static void throwawayRoot(Path root) throws IOException {
        for (String dir : List.of("etc", "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "usr/sbin")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ndialout:x:20:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\ndialout:*::\n");
        Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(root.resolve("etc/gshadow"), PosixFilePermissions.fromString("rw-------"));
    }

    record Result(int code, String out) {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
