import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// Session notes on the real shell: write and save, sign with the password
// (a wrong one signs nothing), then read-only notes and addenda listed with
// author and time. Hostile text (10 kB, SQL, markup, RTL, emoji) comes back verbatim.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    ScreensFixture {
        name: "Notes"
        root: root
        shellComponent: shellComponent
        stopComponent: stopComponent

        function init() { makeShell() }
        function cleanup() {
            if (screensSession.active && screensSession.state === "signed")
                screensSession.close()
            logOutAll()
        }

        function dialogChild(dialog, name) {
            const item = findChild(dialog.contentItem, name)
            verify(item !== null, name)
            return item
        }

        function test_noteSignOffAndAddendaWithHostileText() {
            logIn("therapist", "therapist-pass-1")
            tryCompare(shell, "currentPageKey", "patient")
            tryVerify(() => screensPatients.count >= 1, 10000)
            const patient = screensPatients.get(0)
            screensSession.start(patient.patientId, patient.label)
            tryVerify(() => screensSession.active && !screensSession.busy, 10000)

            const panel = findChild(shell.currentPage, "sessionPanel")
            mouseClick(findChild(panel, "openNotes"))
            const dialog = findChild(panel, "sessionNotesDialog")
            tryVerify(() => dialog.opened)
            verifyEStopOnTop()
            verify(shell.emergencyStopButton.z > dialog.z)

            // Write and save: the 10 kB hostile note, then emoji and RTL.
            const draft = dialogChild(dialog, "noteDraft")
            draft.text = hostile.notes
            mouseClick(dialogChild(dialog, "saveNote"))
            tryVerify(() => screensSession.notes.length === 1, 10000)
            const emoji = "Pain 3/10 😖👍 · ‏ألم في الكتف‏ · `'); DROP TABLE patients;--`"
            draft.text = emoji
            mouseClick(dialogChild(dialog, "saveNote"))
            tryVerify(() => screensSession.notes.length === 2, 10000)
            const list = dialogChild(dialog, "noteList")
            list.positionViewAtBeginning()
            waitForRendering(list)
            let body = findChild(list, "noteBody_0")
            tryVerify(() => body !== null && body.text === hostile.notes)
            compare(body.textFormat, Text.PlainText)
            verify(body.text.length >= 10240)
            list.positionViewAtEnd()
            waitForRendering(list)
            tryVerify(() => findChild(list, "noteBody_1") !== null)
            body = findChild(list, "noteBody_1")
            compare(body.text, emoji)
            compare(body.textFormat, Text.PlainText)
            verify(findChild(list, "noteMeta_1").text.indexOf("Theo Therapist") >= 0)
            mouseClick(dialogChild(dialog, "closeNotes"))
            tryVerify(() => !dialog.visible)

            // End, then sign with the password.
            mouseClick(findChild(panel, "endSession"))
            tryCompare(screensSession, "state", "ended", 10000)
            mouseClick(findChild(panel, "openNotes"))
            tryVerify(() => dialog.opened)
            const password = dialogChild(dialog, "signPassword")
            // Focused, the keyboard comes up; the password and Sign stay inside the
            // shrunk dialog, above the keys.
            mouseClick(password)
            tryVerify(() => password.activeFocus && keyboard.keyboardUp, 5000, "keyboard up to sign")
            for (const name of ["signPassword", "signNotes"]) {
                const item = dialogChild(dialog, name)
                const top = item.mapToItem(dialog.contentItem, 0, 0).y
                verify(top >= 0 && top + item.height <= dialog.contentItem.height + 1,
                       name + " inside the dialog: " + top + "+" + item.height + " of " + dialog.contentItem.height)
                verify(!underKeyboard(item), name + " above the keyboard")
            }
            password.text = "not-the-password"
            mouseClick(dialogChild(dialog, "signNotes"))
            tryVerify(() => !screensSession.busy, 10000)
            compare(screensSession.state, "ended", "a wrong password signs nothing")
            verify(dialogChild(dialog, "notesMessageText").text.indexOf("password") >= 0)
            password.text = "therapist-pass-1"
            mouseClick(dialogChild(dialog, "signNotes"))
            tryCompare(screensSession, "state", "signed", 10000)
            tryVerify(() => dialogChild(dialog, "signedText").visible
                      && dialogChild(dialog, "signedText").text.indexOf("Theo Therapist") >= 0, 10000)

            // Read-only now: no note editor; a change is an addendum.
            verify(!dialogChild(dialog, "saveNote").visible, "no note editing after the sign-off")
            const reason = dialogChild(dialog, "addendumReason")
            reason.text = "<b>markup</b> in the reason"
            dialogChild(dialog, "addendumDraft").text = "Correction: left side. <i>not italic</i>"
            mouseClick(dialogChild(dialog, "saveAddendum"))
            tryVerify(() => screensSession.addenda.length === 1, 10000)
            list.positionViewAtEnd()
            waitForRendering(list)
            tryVerify(() => findChild(list, "addendumBody_0") !== null)
            compare(findChild(list, "addendumBody_0").text, "Correction: left side. <i>not italic</i>")
            compare(findChild(list, "addendumBody_0").textFormat, Text.PlainText)
            const meta = findChild(list, "addendumMeta_0").text
            verify(meta.indexOf("Theo Therapist") >= 0 && meta.indexOf("addendum") >= 0, meta)
            compare(findChild(list, "addendumReason_0").text, "Reason: <b>markup</b> in the reason")
            compare(findChild(list, "addendumReason_0").textFormat, Text.PlainText)
            compare(screensSession.notes.length, 2, "the signed notes are unchanged")
            mouseClick(dialogChild(dialog, "closeNotes"))
        }
    }
}
