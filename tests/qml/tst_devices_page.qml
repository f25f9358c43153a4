import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// The Devices page against a real DevicesModel with no links (testDevices,
// from tst_qml_shell.cpp) and a real BluetoothModel on a bus that does not
// exist (testBluetooth): it says what to do, rejects a bad path with a
// message, offers no simulators when none are installed, and without
// Bluetooth says so in words while the rest of the page works.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    TestCase {
        name: "DevicesPage"
        when: windowShown

        property var shell

        function init() {
            shell = createTemporaryObject(shellComponent, root,
                                          { emergencyStop: createTemporaryObject(stopComponent, root),
                                            services: { devices: testDevices, bluetooth: testBluetooth } })
            shell.showPage("devices")
            tryVerify(() => shell.currentPage !== null && shell.currentPage.objectName === "page_devices")
            waitForRendering(shell)
        }

        function test_statusBarSummarisesLinks() {
            const status = findChild(shell, "deviceStatus")
            verify(status !== null)
            compare(testDevices.summary, "no devices")
        }

        function test_emptyListSaysWhatToDo() {
            const list = findChild(shell.currentPage, "linkList")
            compare(list.count, 0)
        }

        function test_badPathIsRefusedWithAMessage() {
            const field = findChild(shell.currentPage, "portPath")
            field.text = "/dev/does-not-exist-42"
            mouseClick(findChild(shell.currentPage, "connectPort"))
            const message = findChild(shell.currentPage, "devicesMessage")
            verify(message.text.indexOf("/dev/does-not-exist-42") >= 0, message.text)
            compare(findChild(shell.currentPage, "linkList").count, 0)
        }

        function test_withoutBluetoothThePanelSaysSoAndTheRestWorks() {
            const panel = findChild(shell.currentPage, "bluetoothPanel")
            verify(panel !== null)
            const availability = findChild(panel, "bluetoothAvailability")
            verify(availability.visible)
            verify(availability.text.indexOf("No Bluetooth") >= 0, availability.text)
            verify(availability.text.indexOf("Serial devices and simulators work as usual") >= 0)
            verify(!findChild(panel, "bluetoothScan").enabled)
            compare(findChild(panel, "bluetoothList").count, 0)
            // The serial side still answers.
            findChild(shell.currentPage, "portPath").text = "/dev/does-not-exist-43"
            mouseClick(findChild(shell.currentPage, "connectPort"))
            verify(findChild(shell.currentPage, "devicesMessage").text.indexOf("/dev/does-not-exist-43") >= 0)
        }

        function test_bluetoothPortsAreAcceptedAndCheckedInTheSerialField() {
            const field = findChild(shell.currentPage, "portPath")
            field.text = "ble:AA:BB"
            mouseClick(findChild(shell.currentPage, "connectPort"))
            const message = findChild(shell.currentPage, "devicesMessage")
            verify(message.text.indexOf("AA:BB") >= 0 && message.text.indexOf("No port") < 0, message.text)
        }

        function test_buttonsAreGloveSized() {
            const panel = findChild(shell.currentPage, "bluetoothPanel")
            const scan = findChild(panel, "bluetoothScan")
            verify(scan.height >= Theme.touchTarget, scan.height)
            verify(scan.width >= Theme.touchTarget * 2, scan.width)
        }

        // The page as a user sees it (in the test's working directory, for review).
        function test_zzSaveAScreenshot() {
            const image = grabImage(shell)
            verify(image.width === 1280)
            image.save("devices-page.png")
        }

        function test_noSimulatorsWithoutALauncher() {
            verify(!findChild(shell.currentPage, "startSimulators").enabled)
        }
    }
}
