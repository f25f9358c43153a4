import QtQuick
import QtQuick.Controls
import QtTest
import Tautband.Models
import Tautband.Ui

// The screening form (version 2) filled by taps: every tile starts unanswered ("?") with a No
// and a Yes target; a YES opens its follow-up in place (device type and clearance: clinician +
// letter date, pregnancy weeks, where: area → side → region, limbs); saving stores
// "contraindications-2" answers, read back from the store (PatientModel.loadScreening) and
// shown verbatim. An untouched form, or a YES without its follow-up, is not saved.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }

    ScreensFixture {
        name: "Screening"
        root: root
        shellComponent: shellComponent
        stopComponent: stopComponent

        function init() { makeShell() }
        function cleanup() { logOutAll() }

        // The screening pane of the first patient, as a therapist opens it.
        function openScreening() {
            logIn("therapist", "therapist-pass-1")
            tryCompare(shell, "currentPageKey", "patient")
            tryVerify(() => screensPatients.count >= 1, 10000)
            const list = findChild(shell.currentPage, "patientList")
            waitForRendering(list)
            tap(list.itemAtIndex(0))
            tap(findChild(shell.currentPage, "patientTab_1"))
            const first = findChild(shell.currentPage, "screen_pregnancy")
            tryVerify(() => first !== null && first.visible)
            return screensPatients.get(0).patientId
        }

        // Scrolls the form so `item` is on screen, then taps it like a finger.
        function press(name) {
            let item = null
            tryVerify(() => (item = findChild(shell.currentPage, name)) !== null && item.visible, 5000, name)
            const scroll = findChild(shell.currentPage, "screeningScroll")
            const flick = scroll.contentItem
            // Positioners and layouts place a new follow-up on the next polish: wait for it.
            for (let i = item; i !== null; i = i.parent)
                waitForItemPolished(i, 5000)
            waitForRendering(scroll)
            const p = item.mapToItem(flick.contentItem, 0, 0)
            flick.contentY = Math.max(0, Math.min(p.y - 40, flick.contentHeight - flick.height))
            waitForRendering(scroll)
            verify(item.height >= Theme.touchTarget, name + " is a touch target")
            const c = item.mapToItem(root, item.width / 2, item.height / 2)
            verify(c.y > 0 && c.y < root.height, name + " on screen")
            tap(item)
            return item
        }

        // Taps No on every topic still unanswered.
        function answerTheRestNo() {
            for (const t of screensPatients.screeningTopics) {
                if (findChild(shell.currentPage, "screenAnswer_" + t.key).text === "?")
                    press("screenNo_" + t.key)
                compare(findChild(shell.currentPage, "screenAnswer_" + t.key).text !== "?", true, t.key)
            }
        }

        function test_aUntouchedFormIsNotSaved() {
            const id = openScreening()
            tryVerify(() => screensPatients.latestScreening.patientId === id, 10000)
            const before = JSON.stringify(screensPatients.latestScreening)
            for (const t of screensPatients.screeningTopics)
                compare(findChild(shell.currentPage, "screenAnswer_" + t.key).text, "?", t.key + " starts unanswered")
            press("saveScreening")
            tryVerify(() => screensPatients.message.indexOf("Not answered yet") >= 0, 5000, screensPatients.message)
            verify(screensPatients.message.indexOf("Pregnant or possibly pregnant") >= 0, screensPatients.message)
            wait(200)
            compare(JSON.stringify(screensPatients.latestScreening), before, "nothing stored")
            // One No is an answer; the message then names the next unanswered topic first.
            press("screenNo_pregnancy")
            compare(findChild(shell.currentPage, "screenAnswer_pregnancy").text, "no")
            press("saveScreening")
            tryVerify(() => screensPatients.message.indexOf("Not answered yet: Pacemaker") >= 0, 5000, screensPatients.message)
            wait(200)
            compare(JSON.stringify(screensPatients.latestScreening), before, "still nothing stored")
            verifyEStopOnTop()
        }

        function test_followUpsByTapStoreTheRulesFacts() {
            const id = openScreening()
            // Malignancy at the left deltoid: area, side, region.
            press("screenYes_malignancy")
            compare(findChild(shell.currentPage, "screenAnswer_malignancy").text, "YES")
            press("where_malignancy_area_1")
            press("where_malignancy_side_left")
            press("where_malignancy_deltoid_left")
            tryVerify(() => findChild(shell.currentPage, "where_malignancy_chosen").text.indexOf("Deltoid") >= 0)
            // A pacemaker with a specialist clearance (hostile clinician text, a letter date).
            press("screenYes_pacemaker")
            press("implant_pacemaker")
            press("clearance_on_file")
            const clinician = findChild(shell.currentPage, "screenClearanceClinician")
            const letterDate = findChild(shell.currentPage, "screenClearanceDate")
            verify(clinician !== null && letterDate !== null)
            tryVerify(() => clinician.visible && letterDate.visible)
            clinician.text = hostile.givenName
            letterDate.text = "2026-10-02"
            // Pregnant, week 20.
            press("screenYes_pregnancy")
            const weeks = findChild(shell.currentPage, "screenPregnancyWeeks")
            verify(weeks !== null)
            weeks.text = "20"
            // Lymphoedema of the left arm.
            press("screenYes_lymphoedema")
            press("where_lymphoedema_upper_left")
            // Yes then No is "no", its follow-up gone.
            press("screenYes_tattoo_or_dark_skin")
            press("where_tattoo_or_dark_skin_every_site")
            press("screenNo_tattoo_or_dark_skin")
            compare(findChild(shell.currentPage, "screenAnswer_tattoo_or_dark_skin").text, "no")
            answerTheRestNo()

            press("saveScreening")
            tryVerify(() => screensPatients.latestScreening.patientId === id
                            && screensPatients.latestScreening.formVersion === "contraindications-2", 10000)
            const stored = screensPatients.latestScreening
            verify(stored.understood, stored.problems)
            const a = stored.answers
            compare(a.form_version, "contraindications-2")
            compare(a.malignancy, true)
            compare(a.malignancy_where, ["deltoid_left"])
            compare(a.pacemaker, true)
            compare(a.pacemaker_devices, ["pacemaker"])
            compare(a.pacemaker_clearance.clinician, hostile.givenName, "stored verbatim")
            compare(a.pacemaker_clearance.date, "2026-10-02")
            compare(a.pregnancy, true)
            compare(a.pregnancy_weeks, 20)
            compare(a.lymphoedema, true)
            compare(a.lymphoedema_where, ["upper_left"])
            compare(a.tattoo_or_dark_skin, false)
            verify(a.tattoo_or_dark_skin_where === undefined)
            compare(a.anticoagulants, false)
            // Shown as stored: plain text, the reference exactly.
            const shown = findChild(shell.currentPage, "storedScreening")
            compare(shown.textFormat, Text.PlainText)
            verify(shown.text.indexOf(hostile.givenName) >= 0, shown.text)
            verify(shown.text.indexOf("Deltoid (left)") >= 0, shown.text)
            verify(shown.text.indexOf("left arm") >= 0, shown.text)
            verifyEStopOnTop()
        }

        // Runs last (a second patient): a child's open growth plates are pre-set from the birth date.
        function test_zChildHasGrowthPlatesPreset() {
            logIn("therapist", "therapist-pass-1")
            tryCompare(shell, "currentPageKey", "patient")
            const born = new Date()
            born.setUTCFullYear(born.getUTCFullYear() - 10)
            screensPatients.createPatient({ mrn: "C-0001", familyName: "Child", givenName: "Young",
                                            birthDate: born.toISOString().slice(0, 10) })
            tryVerify(() => screensPatients.lastCreatedId > 0 && screensPatients.rowOf(screensPatients.lastCreatedId) >= 0, 10000)
            const row = screensPatients.rowOf(screensPatients.lastCreatedId)
            const list = findChild(shell.currentPage, "patientList")
            waitForRendering(list)
            tap(list.itemAtIndex(row))
            tap(findChild(shell.currentPage, "patientTab_1"))
            tryVerify(() => findChild(shell.currentPage, "screenAge").text.indexOf("Age 10") === 0)
            tryCompare(findChild(shell.currentPage, "screenAnswer_open_growth_plates"), "text", "YES")
            compare(findChild(shell.currentPage, "screenAnswer_pregnancy").text, "?")
        }

        function test_aYesWithoutWhereIsNotSaved() {
            const id = openScreening()
            tryVerify(() => screensPatients.latestScreening.patientId === id, 10000)
            const before = JSON.stringify(screensPatients.latestScreening)
            press("screenYes_recent_radiotherapy")
            press("saveScreening")
            tryVerify(() => screensPatients.message.indexOf("say where") >= 0, 5000, screensPatients.message)
            wait(200)
            compare(JSON.stringify(screensPatients.latestScreening), before, "nothing new stored")
            verifyEStopOnTop()
        }
    }
}
