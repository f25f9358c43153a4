import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// The Devices page against a real DevicesModel with no links (testDevices,
// from tst_qml_shell.cpp): it says what to do, rejects a bad path with a
// message, and offers no simulators when none are installed.
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
                                            services: { devices: testDevices } })
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

        function test_noSimulatorsWithoutALauncher() {
            verify(!findChild(shell.currentPage, "startSimulators").enabled)
        }
    }
}
