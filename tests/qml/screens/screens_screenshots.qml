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
    Component {
        id: supervisorComponent
        SupervisorDialog {
            auth: screensAuth
            ruleId: "DN-LUNG-DISEASE"
            ruleText: "Lung disease: a supervisor approves thoracic needling for this patient and session."
        }
    }

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
            const layer = keyboard
            mouseClick(findChild(shell.currentPage, "loginField"))
            tryVerify(() => layer.keyboardUp, 5000)
            shoot("login-keyboard")
            Qt.inputMethod.hide()
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
            // A session with notes: the note editor.
            const patient = screensPatients.get(1)
            screensSession.start(patient.patientId, patient.label)
            tryVerify(() => screensSession.active && !screensSession.busy, 10000)
            screensSession.addNote("Upper trapezius, right: 2 LTRs, pain 6 → 3. Patient tolerated well.")
            tryVerify(() => screensSession.notes.length === 1, 10000)
            const panel = findChild(shell.currentPage, "sessionPanel")
            mouseClick(findChild(panel, "openNotes"))
            const dialog = findChild(panel, "sessionNotesDialog")
            tryVerify(() => dialog.opened)
            shoot("notes")
            // Writing a note: the draft has the focus and the keyboard is up.
            const draft = findChild(dialog.contentItem, "noteDraft")
            mouseClick(draft)
            tryVerify(() => keyboard.keyboardUp, 5000)
            draft.text = "Levator scapulae, left: 1 LTR"
            shoot("notes-keyboard")
            Qt.inputMethod.hide()
            mouseClick(findChild(dialog.contentItem, "closeNotes"))
            tryVerify(() => !dialog.visible, 5000)
            screensSession.end()
            tryVerify(() => screensSession.state === "ended", 10000)
            // Sign-off: the signer's password with the keyboard up.
            mouseClick(findChild(panel, "openNotes"))
            tryVerify(() => dialog.opened)
            const signPassword = findChild(dialog.contentItem, "signPassword")
            mouseClick(signPassword)
            tryVerify(() => keyboard.keyboardUp, 5000)
            signPassword.text = "demo-therapist"
            shoot("sign-off-keyboard")
            Qt.inputMethod.hide()
            mouseClick(findChild(dialog.contentItem, "closeNotes"))
            tryVerify(() => !dialog.visible, 5000)
            // The lock screen takes the password from the keyboard.
            screensAuth.lock()
            tryVerify(() => findChild(shell, "lockScreen").opened)
            tryVerify(() => keyboard.keyboardUp, 5000)
            shoot("lock-keyboard")
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
            const list = findChild(shell.currentPage, "userList")
            tryVerify(() => list.itemAtIndex(2) !== null, 5000)
            mouseClick(list.itemAtIndex(2))
            shoot("users-selected")
            verify(shell.showPage("login"))
            mouseClick(findChild(shell.currentPage, "changePasswordButton"))
            tryVerify(() => findChild(shell.currentPage, "changePasswordDialog").opened)
            shoot("change-password")
            mouseClick(findChild(findChild(shell.currentPage, "changePasswordDialog").contentItem, "oldPassword"))
            tryVerify(() => keyboard.keyboardUp, 5000)
            shoot("change-password-keyboard")
            Qt.inputMethod.hide()
        }
        function test_5_supervisor() {
            logIn("therapist", "demo-therapist-2026")
            tryVerify(() => screensAuth.loggedIn)
            const dialog = createTemporaryObject(supervisorComponent, shell)
            dialog.open()
            tryVerify(() => dialog.opened)
            tryVerify(() => keyboard.keyboardUp, 5000)
            shoot("supervisor-keyboard")
            dialog.close()
            Qt.inputMethod.hide()
        }
        function test_4_settings() {
            logIn("manager", "demo-manager-2026")
            tryVerify(() => screensAuth.loggedIn)
            verify(shell.showPage("settings"))
            tryVerify(() => !screensSettings.busy, 10000)
            shoot("settings")
        }
    }
}
