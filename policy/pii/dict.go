package pii

import "strings"

// The dictionary maps lower-case ASCII words to role flags. It is a fixed
// open-addressing table keyed by the FNV-1a hash that scanWord computes while
// reading the word, so classifying a word costs one probe and no allocation.

// Dictionary flags. A word may carry several.
const (
	fMedical  uint32 = 1 << iota // medical term on its own ("insulin")
	fMedHead                     // first word of a medical phrase ("sickle" cell)
	fNeg                         // negative context for numbers ("order", "tracking")
	fSSN                         // SSN context ("ssn", "social")
	fAlien                       // A-number anchor ("alien", "uscis")
	fANumSkip                    // filler between an A-number anchor and its digits ("number")
	fBirth                       // birth context ("dob", "born")
	fMonth                       // month name; val = month number
	fPhone                       // phone context, needed for bare 10-digit runs ("call")
	fHonor                       // honorific before a name ("mr")
	fRole                        // role noun before a name ("detainee")
	fPronoun                     // personal pronoun
	fStop                        // common word: never part of a capitalised name
)

const (
	maxKeyLen = 24
	tableBits = 11
	tableMask = 1<<tableBits - 1
)

type entry struct {
	key   string
	flags uint32
	val   uint8
}

var table [1 << tableBits]entry

func hashWord(w string) uint32 {
	h := fnvOffset
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i]|0x20)) * fnvPrime
	}
	return h
}

// lookup returns the flags of the ASCII letters-only word w, whose hash is h.
func lookup(h uint32, w string) (uint32, uint8) {
	for idx := h & tableMask; ; idx = (idx + 1) & tableMask {
		e := &table[idx]
		if e.key == "" {
			return 0, 0
		}
		if len(e.key) == len(w) && eqFold(w, e.key) {
			return e.flags, e.val
		}
	}
}

// eqFold reports whether ASCII w equals the lower-case key, ignoring the case
// of letters in w.
func eqFold(w, key string) bool {
	if len(w) != len(key) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c |= 0x20
		}
		if c != key[i] {
			return false
		}
	}
	return true
}

// add merges flags into the entry for word (lower-case ASCII letters only).
func add(flags uint32, val uint8, words string) {
	for _, w := range strings.Fields(words) {
		if len(w) > maxKeyLen {
			panic("pii: dictionary word too long: " + w)
		}
		for idx := hashWord(w) & tableMask; ; idx = (idx + 1) & tableMask {
			e := &table[idx]
			if e.key == "" {
				e.key = w
			}
			if e.key == w {
				e.flags |= flags
				if val != 0 {
					e.val = val
				}
				break
			}
		}
	}
}

func init() {
	add(fMedical, 0, medicalTerms)
	for _, p := range medPhrases {
		add(fMedHead, 0, p.head)
	}
	add(fNeg, 0, `order orders invoice inv ticket tkt tracking track version ver v build
		ref reference case po serial sn model part sku item receipt confirmation conf
		transaction txn account acct room flight isbn lot batch docket claim policy
		shipment package pkg product code barcode upc rev revision release patch`)
	add(fSSN, 0, "ssn ssns ss social")
	add(fAlien, 0, "alien uscis")
	add(fANumSkip, 0, "number no num nbr nr registration reg file is")
	add(fBirth, 0, "dob born birth birthday birthdate bday nacimiento nacido nacida")
	for m, names := range []string{"january jan", "february feb", "march mar", "april apr",
		"may", "june jun", "july jul", "august aug", "september sep sept", "october oct",
		"november nov", "december dec"} {
		add(fMonth, uint8(m+1), names)
	}
	add(fPhone, 0, "phone telephone tel ph cell cellphone mobile call text fax whatsapp contact reach")
	add(fHonor, 0, "mr mrs ms miss mx dr mister madam sr sra srta senor senora")
	add(fRole, 0, `detainee patient inmate prisoner resident client individual noncitizen
		migrant immigrant respondent applicant officer nurse agent guard deportee asylee
		refugee mother father son daughter wife husband brother sister child boy girl
		man woman mom dad uncle aunt cousin friend partner person plaintiff defendant
		deputy doctor captain sergeant`)
	add(fPronoun, 0, "he she him her his hers himself herself they them their")
	add(fStop, 0, stopWords)
}

// medicalTerms are diagnoses, conditions, medications and procedures whose
// mention next to an identified person is sensitive health information.
const medicalTerms = `
hiv aids hepatitis tuberculosis tb diabetes diabetic insulin cancer cancerous tumor
tumour tumors tumours leukemia lymphoma carcinoma melanoma chemotherapy chemo
radiotherapy pregnant pregnancy miscarriage miscarried stillbirth abortion prenatal
trimester schizophrenia schizophrenic schizoaffective bipolar depression depressed
depressive ptsd psychosis psychotic psychiatric psychiatrist suicidal suicide anxiety
dialysis seizure seizures epilepsy epileptic std stds sti stis syphilis gonorrhea
chlamydia herpes hpv methadone suboxone buprenorphine narcan naloxone antipsychotic
antipsychotics antidepressant antidepressants haloperidol haldol risperidone risperdal
olanzapine zyprexa quetiapine seroquel clozapine clozaril aripiprazole abilify lithium
ziprasidone geodon chlorpromazine thorazine prozac fluoxetine sertraline zoloft xanax
alprazolam lorazepam ativan clonazepam klonopin diazepam valium gabapentin metformin
warfarin antiretroviral antiretrovirals truvada asthma asthmatic hypertension
hypertensive covid coronavirus dementia alzheimer alzheimers autism autistic overdose
overdosed hospitalized hospitalised hospitalization hospitalisation amputation amputee
paralyzed paralysed paralysis paraplegic quadriplegic stroke cirrhosis hemophilia
pneumonia sepsis infection mrsa scabies measles mumps chickenpox varicella malaria
ebola influenza flu anorexia bulimia addiction addicted opioid opioids diagnosis
diagnosed medication medications meds prescription prescribed surgery surgical
transplant disability disabled wheelchair deaf blind adhd ocd insomnia migraine
migraines arthritis lupus anemia anaemia hysterectomy mastectomy cesarean caesarean
dysphoria epipen inhaler chemotherapy psychiatry schizophrenics incontinence dementia
`

// medPhrases are two-word medical terms. The head is flagged fMedHead; when it
// is also a term on its own (hiv, suicide) the tail just lengthens the span.
// Head and tail may be joined by a space, a hyphen or a slash; the tail "+"
// must follow directly ("HIV+").
var medPhrases = []struct{ head, tail string }{
	{"hiv", "positive"}, {"hiv", "negative"}, {"hiv", "+"},
	{"suicide", "attempt"}, {"suicide", "attempts"}, {"suicide", "watch"}, {"suicide", "risk"},
	{"attempted", "suicide"}, {"self", "harm"},
	{"sickle", "cell"}, {"heart", "attack"}, {"heart", "disease"}, {"heart", "failure"},
	{"heart", "condition"}, {"kidney", "failure"}, {"kidney", "disease"}, {"kidney", "stones"},
	{"renal", "failure"}, {"renal", "disease"}, {"liver", "disease"}, {"liver", "failure"},
	{"blood", "pressure"}, {"blood", "transfusion"}, {"mental", "illness"}, {"mental", "health"},
	{"mental", "disorder"}, {"mentally", "ill"}, {"eating", "disorder"}, {"panic", "attack"},
	{"panic", "attacks"}, {"panic", "disorder"}, {"cerebral", "palsy"}, {"multiple", "sclerosis"},
	{"substance", "abuse"}, {"bipolar", "disorder"}, {"anxiety", "disorder"}, {"seizure", "disorder"},
	{"personality", "disorder"}, {"hepatitis", "a"}, {"hepatitis", "b"}, {"hepatitis", "c"},
	{"covid", "19"}, {"sexually", "transmitted"}, {"morning", "sickness"}, {"birth", "control"},
	{"c", "section"},
}

// stopWords are common words that start sentences and headings, and
// place-name prefixes ("El Paso", "San Diego", "Port Isabel").
// Two adjacent capitalised words count as a name only if neither is listed
// (nor carries any other dictionary flag), so "Diabetes Awareness Month" or
// "Free Flu Shots Available" are not names.
const stopWords = `
a an the and or but nor not no yes so if then than that this these those there here
i me my mine we us our ours you your yours it its itself who whom whose which what
when where why how all any both each every few more most other some such only own
same too very can could will would shall should may might must do does did done
doing be been being am is are was were has have had having get got gets go goes went
gone going come came make made take took give gave see saw seen say said says tell
told know knew think feel felt want need needs use used find found let lets keep kept
in on at to for of from by with without about above below over under into onto out
up down off again further once during before after since until while because as per
via between through against among around across along near far inside outside upon
today tonight yesterday tomorrow now later soon always never ever often sometimes
monday tuesday wednesday thursday friday saturday sunday week weeks weekend month
months year years day days morning afternoon evening night time times hour hours
hello hi hey dear thanks thank please sorry ok okay re fw fwd subject attn note
update updates alert alerts notice news breaking report reports reported reporting
new old free open closed available now live official public private important urgent
great good best happy merry safe welcome join support help info information learn
more click link read watch share follow like retweet post posted posts tweet thread
photo video pic story stories
ice dhs ihsc ero cbp uscis fbi cdc who un us usa america american americans united
states state federal national international county city town street st avenue ave
road rd north south east west new york texas california florida arizona miami
el la los las san santa santo port fort mount lake saint
department homeland security health service services corps medical medicine clinic
hospital center centre facility facilities detention processing unit units staff team
program programs office agency government court judge law legal policy directive memo
immigration immigrant immigrants customs enforcement removal operations border patrol
awareness month day week shot shots vaccine vaccines vaccination vaccinations testing
test tests care treatment screening checkup flu season clinic pharmacy nurse
prevention research cure fund walk run drive campaign foundation society association
world global community family families children kids people men women everyone
detainees inmates prisoners patients residents clients migrants refugees officers
guards agents nurses doctors staffers workers advocates lawyers attorneys
everybody someone somebody anyone nobody nothing something anything
first second third last next one two three four five six seven eight nine ten
mr mrs ms dr sir madam
`
