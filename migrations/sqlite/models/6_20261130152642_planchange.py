from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "plan_change" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "stripe_price_id" VARCHAR(255),
    "stripe_invoice_id" VARCHAR(255),
    "request_digest" VARCHAR(64) NOT NULL,
    "idempotency_key" VARCHAR(255),
    "subscription_id" CHAR(36) NOT NULL REFERENCES "subscription" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_change_user_id_7e2cfc" UNIQUE ("user_id", "idempotency_key")
) /* What a changePlan did, so that the same client key returns it again */;
        ALTER TABLE "subscription" ADD "quoted_price_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "scheduled_price_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "stripe_schedule_id" VARCHAR(255);
        ALTER TABLE "subscription" ADD "scheduled_at" TIMESTAMP;
        ALTER TABLE "subscription" ADD "quoted_proration_date" TIMESTAMP;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "subscription" DROP COLUMN "quoted_price_id";
        ALTER TABLE "subscription" DROP COLUMN "scheduled_price_id";
        ALTER TABLE "subscription" DROP COLUMN "stripe_schedule_id";
        ALTER TABLE "subscription" DROP COLUMN "scheduled_at";
        ALTER TABLE "subscription" DROP COLUMN "quoted_proration_date";
        DROP TABLE IF EXISTS "plan_change";"""


MODELS_STATE = (
    "eJztXW1z4jgS/isqvmxSl6VmMsnMXHbvqhjC7LKbQI6Q3b1btoxiK8EVIzF+SYa6m/9+3b"
    "INfiU2AWJAX2aCrJblbr10P91q/bc2FgaznPqVRXntjPy3xumYwR+x8iNSo5PJvBQLXHpr"
    "yYqTsMat49pUd6HsjloOgyKDObptTlxTYNu1BnGYZSEdQaI6GQ4f2HQ4JKZD3BEjjmyT6N"
    "SllrgnpkEO7mwGDU1sNja98RGp1+uHP+DLDKHD20x+v8J2B3w4xEYnTHtktgOdhibwkx4c"
    "YroOuZbPyJUtDE9369gNj5tfPKa54p7Bi2zozJ9/QbHJDfaVOeHPyYN2ZzLLiPEXeogtyA"
    "eaO53IwuaI2p9lVfzGW00XljfmkeqTqTsSfFYfuoul94wzm7rMiPCeez5LIkV+b6HAtT02"
    "66YxLzDYHfUslCBS+12Yl9U0rdPta9etvqbVUtINKSKCCYp0wXFkmNx1JAfG9KtmMX7vju"
    "Dn+5Nv/nvmjPBr4Qt/a/SaPzd6B+9PDvGFAmThj7lO8ORYPvommwDp+o1Ivs8ZrdsMWaNR"
    "N83vc3jimmOWzfM4ZYL1RkBaD/9YRhBhwVwS86mzCVHABxpdbk2DIbBAFP32Zeu637i8wt"
    "eNHeeLJfnX6LfwybEsnSZKD94nxDZrhPze7v9M8Cf5T7fTkuwVjntvyzfO6/X/U8M+Uc8V"
    "GhdPGjUiozUsDbkGNedS9ybGklKPUyqpV0XqIY8iYg96P5d6fPlOS/6Ted/mbrbc07QJ2Q"
    "P/Ckg7GJyVEfY9duL7vx8fv3v34fjNu/cfT08+fDj9+OYj1JUdTj/6sGBEfGr/1O704wLG"
    "gm8xOcj/S+xuYf3VbG+vzfLYBnf85k2BHQ5q5W5x8lmcv9GepdjcZ19zhniCbCluV2x8L1"
    "q8Wn/0Y+tWyNKDy8Yfh7G166Lb+SmsHhFB86L7KcF5WLDMbLbnLixRkqWWlKUG+Jv1LijH"
    "b08+nHx89/5kto7MShYtH+mlAt5GLc2gU6cES+NEiqlJpuqebTOul7IwojSbW4drnhN2Zc"
    "0L8bsCy/C73EX4XXIJtswxGIVpBv9y3e1kM3hOkVQqTd0l/yOW6axt4NZ+vPO4jgwkt55p"
    "uSZ36vi+f66L9wuYjRxavC4nl+CEoogNJNflOzDVPHxeQiBRGiWSlYuEwsc9ZqiBn4SwGO"
    "XZMpkTJSRyC1TrEkUIf2yW6Z+63YsY0z+1kwrIzeWnVu/grZQAVDLdHH0b4aySjA5JNsjm"
    "WcnW8jmwESc+BKiZRpkNNpN4JTp4hfC849PTIubO6Wm+uYPPvn1D4PTuIYLoYcEt1R+eqG"
    "1osScR7dw29aw94FNA9/nXHrNojjIeQbyvsJ0tND2/hWMuLK1lgCT6iOkPwnM1hzkIdbyQ"
    "X82guWu/tV3lmuPdzhp/IceuI03tErtwhopjkTdn04/Gx+NkCeX0Xn4SvhvflJqVOU6q2Z"
    "Rd7KnSJrN6z/qrupzNnT5ARcQdodLF9J1DgmX8iDyNQHSPzJY+ogeQyRlUMqgzuhXw1cRz"
    "mJ3yWK2s5QEf0ymhhkGeGHuwpkTYRHD2PULTxF8NsR1THxFqMzI2bVvYzACN0yVctu0Iyy"
    "AHDmPo/oKx6lCLDYeHddLmvi5GbPHkoA9tCnWJC30i7CvoqfApJJgUt8x24LWEcgKtDbh8"
    "MZCYlkVAQRQWtOIiLTNt30VXzHn2py8yf6eEgcbsRyq1k0BL/CvXu5a1M9/ctM+zd+bMrd"
    "jzTKOONOvxsEXUf/km/OfkNXR/3/D1QfuoSi8/XbnW9svJolxr+yh15VrbHteaZFmK+/lW"
    "Z1h/g5CuzRBLRtati/Mxk/Pt+wIW59vk1JkbnPgozuOoqlGUz1GaHXRjfizA44+5LP6Yx2"
    "FgoMcz9pHcpSRNuLGl5O1615GVOX/ouCRP5wSb86Stf13eQ2faxlaDFfvSlKdg8wg2WOjL"
    "4tdz0p0LR10ZfB1zFQvx4E20khG/capdiNXZQGBUBC8qyucIyQ6u1KuJr045Y+IcT7P7s7"
    "CZec9/ZVPJ9Db0kHI9a7VOnDPYMmbnYeFQbNOnGTAZHWTw7fDFzF+ge2CW99pNWKXz3Vvr"
    "hNWTzpsMcD3Dv5MPsSd9S8WA9gaJeldI2AgJGqmn8PPnCAZcotkTxjXHEu5wSEYC2CFPgy"
    "BsjmdAgA5/Cs5Csshjh/ganGtNB3xEYXAZ5AB5h2SIm0+JQNAawfHDMwnQ+0OSyIGIDSB6"
    "T8b0gTlkUKPugI+F48rXYb9yPmACTUpcvyZ7DI1AVfdJEOCwQ4CL7GjAn0yYQVCZEkvoD2"
    "QEkiZUt4XjQFHgVtCpZdVJA/vnY/YWvh37iQxBl4DFBtyH6GV/TB6SQt/Z14mJbgL8REZu"
    "p5IznH115z0VdzN25aH5f9bwaQjfG2w8ES4qxXJP+yuF9Ucqw2rheo7C9xW+X9WFf0uRXo"
    "Xv76PUFb6/Pfh+ZBcsasFESHbQglmLSR6M2EDxWw4IiRMrKKQE3ysFP+3+aFf+rHX7swKD"
    "JZO/Le6NUyhIYmiH1Bv00qLVV9IcqXWvWp0zaS8OeLN7eXXR6rfOiC7GEwQ0Brz1x1W71z"
    "o/Cw3IpOH+Ou5czy418oPqu4i4nhQZ9lhtAeZ6khr8vrCdJQyGOOUOGgzbayCk7cJQ7YkA"
    "V0sqTukWdnCyrWMjtxl8qeNqhnnPnIzZls/6NOUObuqrSiYTxRnjqGUZBSpNqkZ5oVE+w+"
    "3LsDtGpE5VFWCz8pUqX6nylZbwlXqOK8bStZV2kobPjhZ6R6O1nvWKtr7CYzzSw9nML3jm"
    "O918V+NwGCB/wyFxmOtaDB2A6CQkt8x9YowTmnKdrqTVAcc63znkzrQdVzooAwXDIQe3wh"
    "3BT6qPQo8iOiz9THzANRLZGAccdsYjPFcUui2l38iRvQu5RVwhDl+abk85DJXDULmOlMNQ"
    "SX1VDsMqOKp2XUUPAJNwJ1wObklQK84X4TwbU7MUajwj2D0j/91xkUhdqJUf8X/8pmROj3"
    "Uq8ufexDJ1EEYsEUOGVp9dcaGKb4QkMZSzmMKPWQHiYYFoB1rMIJQboFGDfohxiLdMp7CS"
    "zqMVqYW7zJSMKNZMafyraXbAhWVAqYUpAUA9r5Me04XtU96BCRsJH8TgQ2bErIoZX0D9x6"
    "QFGBbpx1FaUGjj39wl9BZDC00X7AqO0YfQFgYwmjA4oSsyS4IuEw/QexirhbMIRPadiJ6p"
    "oguVsaDURmUsKKnvh7Hw2tJdv9L6wCau9nI37TPNKGkUk0ZEFXyxSIq0pQy7Yib11kVqTR"
    "g3ymfTqF21Ouftzk9nJKAf8F7runvxG8ZnBVm5QBX/3GhfYMkdmK9VCdgKQz3pdAxWgYah"
    "iHzZbJtZbeyeib5O9Mm3EJdjf4xWsb1gkI9vkWulE3lkUKrc+JVI51HpUbzibB4Mc0ymuZ"
    "t/LcmMYBdYu8hoW8eFJOFOvoRBnSBdgUW9RbKotgHt4yYVwcuvfB2qlpV5N3h0tDDvbqTS"
    "cyB4vmxXesA8CgMfkayz50cKK1ZY8VYgGduJGiqseB+lXgQrVifR1Un0qjB+cyeiK4V17R"
    "0qrHKm7gDIUjmmrjVnqhyAWgj5lR66MUqFEqbzpG6bm6j8QK71Wv+6afda19pV49+XrU5f"
    "u2z1f+5K99AXTx7MDreUMdjcwkAPUkDR7HY+t3uXjX6724nUB6ncmfZYXoAUqd1oJupR3a"
    "9x1es2W9fXvpvKFjqmVEFP1fVNs9lqnaNjyvF0nTEj7asa8Gaj02zJkjCkDVps9PrtxsXF"
    "v7Ve6/NNRzYxobZrUsuazgY99i18Gp0I5UMjC0VGLgiMLHW18wIH8e5d7Rzn9GmhdLGnC9"
    "LFnqbTxeJA8mwGw9tx6H1GBup80DqDdBeYvmn42jCdiedm7V8Lk39HydQNluXzf5v8USyd"
    "gilOrM5aF8nApPII7GG2jEqzfE2n3fNdVMkIhxfeotmTjVRHmy670G/2/syAWxkuvDkf8z"
    "149rzOSh14KRfdDMJShzWUA25L5vOWumKUA24fpa4ccNvjgKtE/K1yBSlXkHIFVdoVBDuR"
    "Uw4tnlPsnl27ekh+kS8ob/XdBv9PZRis0LHXSP8YM7WL2s9xqlXa0dVAZZYwm1MQWIrHaQ"
    "aXz/k4b2k7Gft82sfYyKpU5kdMuAlLEJeaUToGfv70aGEYPOa11OcVn80H8zve20aJT4Jv"
    "IYZpyGyJ8ka3WUJF3TIxeQosf8RmrmdzB1OoyBQptYSIVtHmgB9QmZ0lqIp1ZIZHyoM78X"
    "z0HDPBwJsEv7NM3c3N4FgqiF+hgAoFrOYyt6V4kEIB91HqRVBAFf69kZQtJi+XmyWov4P8"
    "XV8eiVe8bWz/7MqKRhjtPuNfPdyl2suLuhxmJ0b5s0m08q2+53NmKQArYfAlk9i+EMVK5t"
    "HdThY/C2VlDLQYntVsXDcb563XgrOeS3tcPNtx6RzHL4sOK5XAQUWMKayoouvIlqIGCiva"
    "R6mriLHtiRhTmN0GEY7qXIS7dzF6TmXvxdmb0f+aoOpecn0P8hH0e+3GhcwFAPymlswEgK"
    "kDfmudyYtfHhme77/ua+c3LTzVj5ClB2U3natG+/yMeHxCzZy8AO1Os3t5ddHqA6XJdTGe"
    "oDUeLddaf1y1e0g1f675N9TLvAI3134uAdgxK5IrwA+TdbUJs01haCBlu7yxldPGDirg26"
    "twp+2shNhYlhexlOBZpl9Rib1iYpfrGdjICwW/MHVCXhMqjUKJNArhvrIMuhUnVVmXqzzf"
    "mJ9Ov7SQo3RKwlWWsNQ0l9k/Y4RKxlWWcQi36CNmeNaSVmuCWrnri9mtAdeM5QCDTGrF+p"
    "KsL79/JWnV+lbl9e2LJ9wlZ1gGqZpehabXjHNQXwL4OBfKzrPcRtSEq/KEk0e5yk20CEmV"
    "MdhXDa5cdJLSoqsIQLsKmtkyZhc+QzkfZKUPUCZGt39C8IU52uJHI3eE6WvN03aDyWSbmF"
    "BExsClYvNiz48WxeZ5WBN6P69a9MAphgTgPwYRd/DzjlHXsxkxORGckVvTQs8M8dHDetIT"
    "slQjAz7ASQyVb6fyYKlf/p1DpD9Cnk+lhLOn4IF/tBR/2+KJHCAFtSzxhJN/wCUNVHDJm0"
    "OCR1UpsRkMamzfhjH4RC0CA9NwoCvzY6zQEkhDuCPsl+kMOHuUZ1kd5mKvgV5ndTIc4jcN"
    "h0BqTYNjtA40YgvvfiQbg/FimMhRag34cHhzhTsWqdfrBAakz5F/+P/9jXwhv//c6rXmP3"
    "/8B7HMsekOh4WOywZclRMw6r9Rx2YrFQqpwnI2oZBHJkNRLkfnz+5xefUnXl7iaFYO5q0y"
    "ccIoh+KBnCHFzlwmsoHgzZTF8zonQqRW2WO6sDNTBEcfF9A57XnNZ1XOLkeNCXVUA3QrrP"
    "wg3wYalg4qHTnADIaoHeEvh1iMPjLQ0jg7TGueL2gLFVCwHpmNtGZEK4RWuOPfVkKoEyh4"
    "UqUG5dQPWf9BlvoDd8APcOc+IpEDfpgg5ZCM6QNzfE1Unm6QaVNkU6BK6sAZUDc5eRox+f"
    "IB9+s5xJZqp898oLcx38rE14ihBb8EppuAbQx7DnPB5KbLrOlK8q0U1zaVeqnUy6ooPkq9"
    "3E718otHuWu6GSepc5WOKIlKv5oRqaRU9r1R2VU+glfYFtQx13zub+eBx7xjrhWx1X5nty"
    "MhHlqPTHokUsZa7PlCa+3Jr6mxWdVC5tq1jIeS9opbJ/2Z7QM2VxAqJR+BegmGl+mATUPd"
    "wPyBLpiPzJ5mmm4raHfA2VfovzX9Hm2qMzC3DG9imTrMGWIJh/kGnCkNPekZwBHqFzquQA"
    "tKeK4uYNrlGE8p82h+siaYzsoaemVrKDFWyuyCGaTqPGaRTVCypwSjw/rrsopej71vC11T"
    "+nbBNaVv09eU0omZf7Y+n8sJst1T6FZvgYaLeIrLi4DvCNG6TNCNDuhXSV2AGzjqKBmsX3"
    "SaKUqmTjCVOME0oVNL0IyR/st1t5MDB8xJktaKqbvkf8QynW2EXBYwHJkRY3jqzuPk9cYJ"
    "hQUbSN55vH1nucGS0xnMtHBMFD7R3Ws1W+3f/FvW/RZmd77Lw9T+le/yfPZPna5/+PqeCz"
    "t923vSZCi0Ga88oyx1XTaeuBnCy78eKkKyM67RlcGTFh7iZ7Yt7DRL8y9fj1PtgmKzCBtZ"
    "x73r4XRcArdKkCrgqurAVWzbD1fcJQSfpFVnFKrmDagIRNlgtqmPahngZPDkaBEsSed11p"
    "lOtBRMl7u7Z6JEGft6MNCrCxKtZF/PR+WWgC9eCl1UblfZwN2lMKlKcDiovoPcXQsMB290"
    "M29zyzeZIyTKZC5pMr/qZvbt/7TRS/A="
)
