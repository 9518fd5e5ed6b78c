package io.sparkvae.cli;

import io.sparkvae.provenance.Provenance;
import picocli.CommandLine;

/** {@code vae --version}: the git commit the jar was built from. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"spark-vae (git " + Provenance.currentGitCommit() + ")"};
    }
}
