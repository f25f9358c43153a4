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

        // Scrolls the screening form so `name` is on screen (a new follow-up is placed on the
        // next polish), then clicks it.
        function pressInForm(name) {
            let item = null
            tryVerify(() => (item = findChild(shell.currentPage, name)) !== null && item.visible, 5000, name)
            const flick = findChild(shell.currentPage, "screeningScroll").contentItem
            for (let i = item; i !== null; i = i.parent)
                waitForItemPolished(i, 5000)
            const p = item.mapToItem(flick.contentItem, 0, 0)
            flick.contentY = Math.max(0, Math.min(p.y - 40, flick.contentHeight - flick.height))
            waitForRendering(shell)
            mouseClick(item)
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
            // Form version 2 for the demo's pacemaker patient (O'Connor, the last row): what the
            // store holds on top, and a YES tile open with its follow-up (device chips, the
            // specialist clearance's clinician and letter date) as the therapist re-screens him.
            tryVerify(() => list.itemAtIndex(4) !== null, 5000)
            mouseClick(list.itemAtIndex(4))
            mouseClick(findChild(shell.currentPage, "patientTab_1"))
            tryVerify(() => findChild(shell.currentPage, "storedScreening") !== null
                            && findChild(shell.currentPage, "storedScreening").text.length > 0, 10000)
            pressInForm("screenYes_pacemaker")
            pressInForm("implant_pacemaker")
            pressInForm("clearance_on_file")
            const clinician = findChild(shell.currentPage, "screenClearanceClinician")
            tryVerify(() => clinician !== null && clinician.visible, 5000)
            clinician.text = "Dr R. Lindgren, cardiology"
            findChild(shell.currentPage, "screenClearanceDate").text = "2026-09-20"
            // The whole follow-up in view (down to the letter date), the stored record above
            // it as far as it fits.
            const flick = findChild(shell.currentPage, "screeningScroll").contentItem
            const last = findChild(shell.currentPage, "screenClearanceDate")
            for (let i = last; i !== null; i = i.parent)
                waitForItemPolished(i, 5000)
            wait(200)
            const bottom = last.mapToItem(flick.contentItem, 0, last.height).y
            flick.contentY = Math.max(0, Math.min(bottom + 24 - flick.height, flick.contentHeight - flick.height))
            shoot("screening")
            mouseClick(list.itemAtIndex(1))
            mouseClick(findChild(shell.currentPage, "patientTab_1"))
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
            // The user filter's drop-down open (TouchComboBox: 56 px rows, body text).
            const users = findChild(shell.currentPage, "auditUser")
            mouseClick(users)
            tryVerify(() => users.popup.opened, 5000)
            shoot("audit-dropdown")
            users.popup.close()
            tryVerify(() => !users.popup.visible, 5000)
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
