/**
 * Test support for JetLag's remote path, used by tests only and never shipped with the command
 * line: {@link org.jetlag.testsupport.tapis.TapisEmulator}, an EMULATOR of the Tapis v3 REST API
 * (it is not Tapis), and {@link org.jetlag.testsupport.slurm.SlurmTestbed}, a JUnit 5 extension
 * that starts real Slurm, MariaDB, munge and sshd on 127.0.0.1 with the scripts in {@code
 * scripts/testbed}.
 */
package org.jetlag.testsupport;
