import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// Screenshot mode only (TAUTBAND_SCREENSHOT_DATA / _DIR, see tst_qml_screens.cpp):
// the built screens on a demo clinic, saved as PNGs to look at.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    ScreensFixture {
        name: "Screenshots"
        root: root
        shellComponent: shellComponent
        stopComponent: stopComponent

        function init() {
            if (screenshotDir.length === 0)
                skip("screenshot mode is off")
            makeShell()
        }
        function cleanup() { logOutAll() }

        function shoot(name) {
            wait(400)
            waitForRendering(shell)
            grabImage(root).save(screenshotDir + "/" + name + ".png")
        }

        function test_1_login() {
            shoot("login")
        }
        function test_2_patient() {
            logIn("therapist", "demo-therapist-2026")
            tryCompare(shell, "currentPageKey", "patient")
            tryVerify(() => screensPatients.count > 0, 10000)
            const list = findChild(shell.currentPage, "patientList")
            tryVerify(() => list.itemAtIndex(1) !== null, 5000)
            mouseClick(list.itemAtIndex(1))
            shoot("patient")
            mouseClick(findChild(shell.currentPage, "patientTab_1"))
            mouseClick(findChild(shell.currentPage, "screen_anticoagulants"))
            mouseClick(findChild(shell.currentPage, "screen_lung_disease"))
            shoot("screening")
            mouseClick(findChild(shell.currentPage, "patientTab_2"))
            mouseClick(findChild(shell.currentPage, "consent_thoracic-needling"))
            shoot("consent")
            screensAuth.lock()
            shoot("lock")
        }
        function test_3_audit() {
            logIn("manager", "demo-manager-2026")
            tryVerify(() => screensAuth.loggedIn)
            verify(shell.showPage("audit"))
            tryVerify(() => !screensAudit.busy && screensAudit.count > 0, 10000)
            tryVerify(() => screensAudit.verifyState === "intact", 15000)
            shoot("audit")
            mouseClick(findChild(shell.currentPage, "kind_refusal"))
            tryVerify(() => !screensAudit.busy, 10000)
            shoot("audit-refusals")
            verify(shell.showPage("users"))
            wait(500)
            shoot("users")
        }
    }
}
