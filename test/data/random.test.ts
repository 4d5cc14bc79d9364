import { en, Faker } from '@faker-js/faker'
import { describe, expect, test } from 'vitest'
import { SeededRandom } from '../../src/data/random.js'

describe('the seeded generator', () => {
  test("draws what faker's own generator draws, for a number seed and an array seed", () => {
    for (const seed of [0, 1, 1300, 2 ** 40 + 7, [1, 2, 3], [42]]) {
      const theirs = new Faker({ locale: en })
      const ours = new Faker({ locale: en, randomizer: new SeededRandom() })
      theirs.seed(seed)
      ours.seed(seed)
      // More than 624 draws: past the first twist of the state.
      const draw = (f: Faker) => Array.from({ length: 1500 }, () => f.number.int(1_000_000))
      expect(draw(ours), String(seed)).toEqual(draw(theirs))
    }
  })

  test('put back where it was saved, it draws the same numbers again', () => {
    const random = new SeededRandom(5)
    for (let i = 0; i < 700; i++) random.next()
    const saved = random.save()
    const first = Array.from({ length: 1000 }, random.next)
    random.restore(saved)
    expect(Array.from({ length: 1000 }, random.next)).toEqual(first)
  })
})
