// Launches the test-tree XNAT emulator as its own process (single-file source launch):
//   java -cp target/test-classes:<test classpath> bench/XnatEmulatorMain.java --port=8081 --projects=10000
public class XnatEmulatorMain {
    public static void main(String[] args) throws Exception {
        org.flip.imagingapi.emulator.XnatEmulator.runStandalone(args);
    }
}
